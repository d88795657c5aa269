import { problemSchema } from '@concord/contracts';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/auth/plugin.ts';
import { worldForSuite } from './support/suite.ts';
import { allEvents, testApp, type World } from './support/world.ts';

/**
 * Issue 18: writes check where they come from. A page on another port of the same host (same site, so
 * SameSite=Lax cookies go along) opened a victim's draft and signed them out.
 */
describe('state-changing requests check their origin', () => {
  let world: World;
  worldForSuite({}, (created) => {
    world = created;
  });

  const draftBody = {
    title: 'From elsewhere',
    body: 'B',
    payload: { kind: 'charterChange', rules: null, sharedValues: ['x'], adoptSops: [], retireSopIds: [] },
  };

  it('refuses a sign-out sent by a page of the same site on another port, and the session lives on', async () => {
    const cookies = await world.cookie('repA');
    for (const headers of [
      { 'sec-fetch-site': 'same-site', origin: 'http://localhost:3001' },
      { origin: 'http://localhost:3001' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
    ] as Record<string, string>[]) {
      const out = await world.app.inject({ method: 'POST', url: '/api/auth/sign-out', cookies, headers });
      expect(out.statusCode, JSON.stringify(headers)).toBe(403);
      expect(out.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = problemSchema.parse(out.json());
      expect(problem.code).toBe('CROSS_SITE_REQUEST');
      expect(problem.correlationId).toBe(out.headers['x-request-id']);
    }
    const me = await world.app.inject({ method: 'GET', url: '/api/auth/me', cookies });
    expect(me.statusCode).toBe(200);
  });

  it('refuses cross-site commands on every method before anything is appended', async () => {
    const before = (await allEvents(world.t.store)).length;
    const proposalId = await world.draft('repA');
    const cross = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const attempts = [
      ['POST', '/api/proposals', draftBody],
      ['PUT', `/api/proposals/${proposalId}`, draftBody],
      ['POST', `/api/proposals/${proposalId}/opening`, { urgentReason: null }],
      ['DELETE', `/api/auth/sessions/${crypto.randomUUID()}`, undefined],
    ] as const;
    for (const [method, url, body] of attempts) {
      const response = await world.request('repA', method, url, body, cross);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().code).toBe('CROSS_SITE_REQUEST');
    }
    await world.settle();
    expect((await allEvents(world.t.store)).length).toBe(before + 1);
  });

  it('refuses a cross-site sign-in too (login CSRF) but never a read', async () => {
    const signIn = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { origin: 'http://localhost:8080', 'sec-fetch-site': 'same-site' },
      payload: { email: 'facilitator@example.org', password: 'correct horse battery' },
    });
    expect(signIn.statusCode).toBe(403);
    const read = await world.request('repA', 'GET', '/api/proposals', undefined, {
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(read.statusCode).toBe(200);
  });

  it("accepts Concord's own pages, and clients that send neither header (CLI, the portal's server side)", async () => {
    for (const headers of [
      { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
      { origin: 'http://localhost:3000' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
      // The request's own origin, as the browser reached it (an address other than PUBLIC_URL's).
      { origin: 'http://127.0.0.1:3000', host: '127.0.0.1:3000' },
      {},
    ] as Record<string, string>[]) {
      const response = await world.request('repA', 'POST', '/api/proposals', draftBody, headers);
      expect(response.statusCode, `${JSON.stringify(headers)}: ${response.body}`).toBe(201);
    }
  });
});

describe('security headers on every API answer', () => {
  let world: World;
  worldForSuite({}, (created) => {
    world = created;
  });

  it('sends nosniff and refuses framing on JSON answers, problems and the docs page', async () => {
    for (const url of ['/api/health', '/api/proposals', '/api/nowhere', '/api/openapi.json']) {
      const response = await world.request('repA', 'GET', url);
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(String(response.headers['content-security-policy']), url).toContain("frame-ancestors 'none'");
      expect(response.headers['x-frame-options'], url).toBe('DENY');
      expect(response.headers['strict-transport-security'], url).toBeUndefined();
    }
    const docs = await world.app.inject({ method: 'GET', url: '/api/docs/' });
    const page =
      docs.statusCode === 302 ? await world.app.inject({ method: 'GET', url: docs.headers.location! }) : docs;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('sends HSTS when PUBLIC_URL is https', async () => {
    const t = await testApp({ publicUrl: 'https://concord.example.org' });
    try {
      const response = await t.app.inject({ method: 'GET', url: '/api/health' });
      expect(response.headers['strict-transport-security']).toMatch(/max-age=\d{7,}/);
      const cookieResponse = await t.app.inject({ method: 'GET', url: '/api/nowhere' });
      expect(cookieResponse.headers['strict-transport-security']).toMatch(/max-age=/);
    } finally {
      await t.close();
    }
  });

  it('keeps the session cookie httpOnly and SameSite', async () => {
    const signIn = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'facilitator@example.org', password: 'correct horse battery' },
    });
    const cookie = signIn.cookies.find((candidate) => candidate.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  });
});
