// The single process: the API's Fastify serves the portal for every non-/api path.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { docsPlugin } from '../../services/api/src/plugins/docs.ts';
import { ensurePortalBuild } from '../scripts/ensure-build.mjs';
import { portal } from '../server-mount.ts';

describe('portal mounted in Fastify', () => {
  let app: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    ensurePortalBuild();
    app = Fastify({ logger: false });
    app.get('/api/health', async () => ({ status: 'ok' }));
    app.post('/api/echo', async (request) => ({ received: request.body }));
    await app.register(portal);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
  });

  test('renders pages server-side, in the reader’s language and direction', async () => {
    const english = await fetch(`${base}/sign-in`);
    expect(english.status).toBe(200);
    expect(english.headers.get('content-type')).toMatch(/text\/html/);
    expect(await english.text()).toContain('<html lang="en" dir="ltr">');

    const arabic = await fetch(`${base}/sign-in`, { headers: { 'accept-language': 'ar,en;q=0.5' } });
    expect(await arabic.text()).toContain('<html lang="ar" dir="rtl">');
  });

  test('sends signed-out readers of a private page to sign-in', async () => {
    const response = await fetch(`${base}/budget?line=7`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in?next=%2Fbudget%3Fline%3D7');
  });

  test('serves the built assets, precompressed', async () => {
    const html = await (await fetch(`${base}/sign-in`)).text();
    const script = /_app\/immutable\/entry\/start\.[\w-]+\.js/.exec(html)?.[0];
    expect(script).toBeDefined();
    const asset = await fetch(`${base}/${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
  });

  test('hands form posts to SvelteKit with their body, over plain http (same-origin check passes)', async () => {
    const response = await fetch(`${base}/language`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ locale: 'fr', redirectTo: '/sign-in' }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/sign-in');
    expect(response.headers.get('set-cookie')).toMatch(/^concord_locale=fr;/);
  });

  test('refuses cross-site form posts', async () => {
    const response = await fetch(`${base}/language`, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ locale: 'fr' }),
    });
    expect(response.status).toBe(403);
  });

  test('leaves /api to the API: its routes, its body parsing, its 404s', async () => {
    expect(await (await fetch(`${base}/api/health`)).json()).toEqual({ status: 'ok' });
    const echo = await fetch(`${base}/api/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(await echo.json()).toEqual({ received: { hello: 'world' } });
    const missing = await fetch(`${base}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/json/);
  });

  test('answers HEAD', async () => {
    const response = await fetch(`${base}/sign-in`, { method: 'HEAD' });
    expect(response.status).toBe(200);
  });
});

describe("the mount hands SvelteKit the API's forwarding secret, never a client's", () => {
  async function seen(decorate: boolean, headers: Record<string, string>) {
    const app = Fastify({ logger: false });
    if (decorate) app.decorate('portalForwarding', { secret: 'the-per-process-secret', trusts: () => false });
    let received: Record<string, unknown> = {};
    await app.register(portal, {
      handler: (req, res) => {
        received = { ...req.headers };
        res.end('ok');
      },
    });
    await app.inject({ method: 'GET', url: '/sign-in', headers });
    await app.close();
    return received;
  }

  test('sets it from the server the portal is mounted on, over whatever the client sent', async () => {
    const received = await seen(true, { 'x-concord-forwarding': 'forged' });
    expect(received['x-concord-forwarding']).toBe('the-per-process-secret');
  });

  test('removes a forged one when the server has none (a plain Fastify, not the API)', async () => {
    const received = await seen(false, { 'x-concord-forwarding': 'forged' });
    expect(received['x-concord-forwarding']).toBeUndefined();
  });

  test("keeps the portal's pages out of the API's OpenAPI document", async () => {
    const documented = Fastify({ logger: false });
    try {
      await documented.register(docsPlugin);
      await documented.register(portal);
      await documented.ready();
      const response = await documented.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(response.statusCode).toBe(200);
      expect(Object.keys(response.json().paths)).toEqual([]);
    } finally {
      await documented.close();
    }
  });
});
