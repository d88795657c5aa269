import { problemSchema } from '@concord/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemCatalogue } from '../src/errors.ts';
import { World } from './support/world.ts';

describe('errors are problem+json with a catalogue code, and 4xx for every client mistake', () => {
  let world: World;
  let cookie: Record<string, string>;
  beforeAll(async () => {
    world = await World.create();
    cookie = await world.cookie('repA');
  }, 120_000);
  afterAll(() => world?.close());

  const send = (options: {
    method?: string;
    url?: string;
    payload?: string;
    headers?: Record<string, string>;
  }) =>
    world.app.inject({
      method: (options.method ?? 'POST') as 'POST',
      url: options.url ?? '/api/proposals',
      cookies: cookie,
      headers: { 'content-type': 'application/json', ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    });

  it.each([
    ['bad JSON', { payload: '{"title":' }, 400, 'MALFORMED_JSON'],
    ['an empty JSON body', { payload: '' }, 400, 'MALFORMED_JSON'],
    ['a prototype-poisoning key', { payload: '{"__proto__":{"admin":true}}' }, 400, 'MALFORMED_JSON'],
    [
      'the wrong content type',
      { payload: 'title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a body over the limit',
      { payload: JSON.stringify({ title: 'x'.repeat(1_100_000) }) },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'wrong types',
      { payload: JSON.stringify({ title: 5, body: [], payload: 'x' }) },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown field',
      {
        payload: JSON.stringify({
          title: 't',
          body: 'b',
          payload: {
            kind: 'charterChange',
            rules: null,
            sharedValues: ['x'],
            adoptSops: [],
            retireSopIds: [],
          },
          actor: 'me',
        }),
      },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a NUL character in a path id',
      { url: '/api/proposals/a%00b/stances', payload: '{"stance":"consent"}' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a bad Idempotency-Key',
      {
        payload: '{"stance":"consent"}',
        url: '/api/proposals/x/stances',
        headers: { 'idempotency-key': 'has space' },
      },
      400,
      'VALIDATION_FAILED',
    ],
    ['an unknown route', { url: '/api/nothing-here', payload: '{}' }, 404, 'ROUTE_NOT_FOUND'],
    [
      'an unknown proposal',
      { url: '/api/proposals/unknown/stances', payload: '{"stance":"consent"}' },
      404,
      'PROPOSAL_NOT_FOUND',
    ],
  ])('%s', async (_, request, status, code) => {
    const head = await world.t.store.head();
    const response = await send(request);
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = problemSchema.parse(response.json());
    expect(problem.code).toBe(code);
    expect(problem.title).toBe(problemCatalogue[code as keyof typeof problemCatalogue].title);
    expect(problem.requestId).toBe(response.headers['x-request-id']);
    expect(await world.t.store.head()).toBe(head);
  });

  it('says field by field what was wrong', async () => {
    const response = await send({ payload: JSON.stringify({ title: '', body: 'b' }) });
    const problem = problemSchema.parse(response.json());
    expect(problem.issues?.map((issue) => issue.path)).toEqual(expect.arrayContaining(['title', 'payload']));
    expect(problem.issues?.[0]?.location).toBe('body');
  });

  it('keeps one catalogue: every domain code has a status and a readable title', () => {
    for (const [code, { status, title }] of Object.entries(problemCatalogue)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(title.length, code).toBeGreaterThan(10);
    }
  });

  it('echoes request and correlation ids', async () => {
    const response = await world.app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'req-1', 'x-correlation-id': 'corr-1' },
    });
    expect(response.headers['x-request-id']).toBe('req-1');
    expect(response.headers['x-correlation-id']).toBe('corr-1');
  });
});
