// The single process: the portal's server-side calls to the API carry the browser's address, and the
// API believes it because the mount handed SvelteKit this process's secret (ADR 0008) — not because the
// call comes from loopback, and not from X-Forwarded-For.

import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openPglite, PostgresEventStore } from '../../packages/event-store/src/index.ts';
import { clientAddress } from '../../services/api/src/auth/client-address.ts';
import { buildServer } from '../../services/api/src/server.ts';
import { ensurePortalBuild } from '../scripts/ensure-build.mjs';
import { portal } from '../server-mount.ts';
import { freePort } from './helpers/portal.ts';

/** A form post from 127.0.0.2, which this server trusts as a proxy naming the browser `forwardedFor`. */
function postFrom127002(url: string, body: string, forwardedFor: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress: '127.0.0.2',
        headers: {
          origin: target.origin,
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
          'x-forwarded-for': forwardedFor,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the mounted portal forwards the browser address to the API', () => {
  let app: FastifyInstance;
  let url: string;
  let dataDir: string;
  const seen: { path: string; client: string; ip: string; trusted: boolean }[] = [];

  beforeAll(async () => {
    ensurePortalBuild();
    dataDir = mkdtempSync(join(tmpdir(), 'concord-forwarding-'));
    const { db } = await openPglite(join(dataDir, 'pg'));
    const store = new PostgresEventStore(db, { pollIntervalMs: 20 });
    await store.migrate();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    process.env.API_URL = url;
    app = await buildServer({
      store,
      db,
      logger: false,
      publicUrl: url,
      passwordCost: { memoryCost: 64, timeCost: 1 },
      // Only the browser-facing proxy at 127.0.0.2 is trusted: the portal's own calls come from 127.0.0.1.
      trustProxy: '127.0.0.2',
    });
    app.addHook('onRequest', async (request) => {
      if (!request.url.startsWith('/api/')) return;
      seen.push({
        path: request.url,
        client: clientAddress(request, app.portalForwarding),
        ip: request.ip,
        trusted: app.portalForwarding.trusts(request),
      });
    });
    app.addHook('onClose', async () => {
      await store.close();
      await db.destroy();
    });
    await app.register(portal);
    await app.listen({ port, host: '0.0.0.0' });
  }, 300_000);

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("a sign-in form post reaches the API as the browser's address, proven by the secret", async () => {
    const status = await postFrom127002(
      `${url}/sign-in`,
      new URLSearchParams({ email: 'someone@example.org', password: 'not the password' }).toString(),
      '198.51.100.7',
    );
    expect(status).toBeLessThan(500);
    const signIn = seen.find((entry) => entry.path === '/api/auth/sign-in');
    expect(signIn, JSON.stringify(seen)).toBeDefined();
    // The API's own view of the connection is the portal on loopback; only the secret names the browser.
    expect(signIn).toMatchObject({ trusted: true, client: '198.51.100.7', ip: '127.0.0.1' });
  });
});
