import { type RouteContract, routes } from '@concord/contracts';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from './support/world.ts';

describe('OpenAPI and operations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  }, 120_000);
  afterAll(() => t?.close());

  it('describes every route of the contract in /api/openapi.json', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    const missing: string[] = [];
    for (const [id, route] of Object.entries(routes) as [string, RouteContract][]) {
      if (route.hidden) continue;
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths?.[path]?.[route.method.toLowerCase()];
      if (!operation) missing.push(`${id}: ${route.method} ${path}`);
      else expect(operation.operationId).toBe(id);
    }
    expect(missing).toEqual([]);
    expect(document.components.schemas.Problem).toBeDefined();
    expect(
      document.paths['/api/proposals'].post.requestBody.content['application/json'].schema,
    ).toBeDefined();
    // An upload's body is the document's bytes, in any of the kinds Concord keeps.
    const upload = document.paths['/api/attachments'].post.requestBody;
    expect(upload.content['application/pdf'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(upload.content['application/json']).toBeUndefined();
  });

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).body;
    const problems = await lintFromString({
      source: document,
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
    expect(
      problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`),
    ).toEqual([]);
  });

  it('serves a browsable docs page', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({
      status: 'ok',
      eventStore: { head: 0 },
    });
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode, ready.body).toBe(200);
    await t.app.inject({ method: 'POST', url: '/api/proposals', payload: {} });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    for (const name of [
      'concord_commands_total',
      'concord_appends_total',
      'concord_projector_lag_seconds',
      'concord_live_sockets',
      'concord_http_requests_total',
      'concord_event_store_head_position',
    ]) {
      expect(metrics.body).toContain(name);
    }
  });
});
