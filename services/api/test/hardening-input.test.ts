import { problemSchema } from '@concord/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allEvents, ORG, World } from './support/world.ts';

/**
 * Issue 18's inputs that gave 500 or were stored as they came: lone surrogates, NUL, terminal escapes,
 * bidi overrides and invisible titles. Each is a 400 problem+json, and nothing is appended.
 */
describe('text input: well-formed, no control characters, visible titles', () => {
  let world: World;
  let openId: string;
  let draftId: string;
  beforeAll(async () => {
    world = await World.create();
    openId = await world.openBudgetProposal('repA');
    draftId = await world.draft('repA');
    await world.settle();
  }, 120_000);
  afterAll(() => world?.close());

  const proposal = (title: string, body = 'Why we ask.') => ({
    title,
    body,
    payload: { kind: 'charterChange', rules: null, sharedValues: ['x'], adoptSops: [], retireSopIds: [] },
  });
  const profile = (availability: string) => ({
    availability,
    interests: ['water'],
    goals: ['more'],
    timeCommitmentHoursPerMonth: 3,
    languages: ['ar', 'en'],
  });

  async function refused(
    who: 'repA' | 'facilitator',
    method: string,
    url: string,
    payload: string,
    path?: string,
  ) {
    const before = (await allEvents(world.t.store)).length;
    const response = await world.app.inject({
      method: method as 'POST',
      url,
      cookies: await world.cookie(who),
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = problemSchema.parse(response.json());
    expect(problem.code).toBe('VALIDATION_FAILED');
    if (path !== undefined) expect(problem.issues?.map((issue) => issue.path)).toContain(path);
    await world.settle();
    expect((await allEvents(world.t.store)).length).toBe(before);
    return problem;
  }

  it('refuses a lone surrogate in a comment (was a 500 from the database)', async () => {
    await refused(
      'repA',
      'POST',
      `/api/proposals/${openId}/comments`,
      JSON.stringify({ text: 'fine \ud800 text' }),
      'text',
    );
    await refused('repA', 'POST', `/api/proposals/${openId}/comments`, '{"text":"\\udfff"}', 'text');
  });

  it('refuses a lone surrogate in an invitation name (was a 500)', async () => {
    await refused(
      'facilitator',
      'POST',
      `/api/members/${ORG.B}/invitations`,
      JSON.stringify({ email: 'surrogate@example.org', name: 'Amal \udc00' }),
      'name',
    );
  });

  it('refuses NUL in profile fields (was a 500)', async () => {
    await refused(
      'repA',
      'PUT',
      `/api/members/${ORG.A}/profile`,
      JSON.stringify(profile('Tuesdays\u0000')),
      'availability',
    );
    await refused(
      'repA',
      'PUT',
      `/api/members/${ORG.A}/profile`,
      JSON.stringify({ ...profile('Tuesdays'), interests: ['a\u0000b'] }),
      'interests.0',
    );
  });

  it('refuses lone surrogates and NUL anywhere in a body, even where no schema looks (one hook)', async () => {
    const problem = await refused(
      'repA',
      'POST',
      '/api/proposals',
      JSON.stringify({
        ...proposal('A title'),
        payload: {
          kind: 'charterChange',
          rules: null,
          sharedValues: ['ok', 'bad \ud83d'],
          adoptSops: [],
          retireSopIds: [],
        },
      }),
      'payload.sharedValues.1',
    );
    expect(problem.issues?.[0]?.message).toMatch(/well-formed/);
    await refused('repA', 'POST', '/api/proposals', '{"ti\\u0000tle":"x"}');
  });

  it('refuses terminal escape characters instead of storing them', async () => {
    await refused(
      'repA',
      'POST',
      `/api/proposals/${openId}/comments`,
      JSON.stringify({ text: '\u001b[2J\u001b[31mAll funds approved' }),
      'text',
    );
    // Where main stored them: profile fields and texts inside a proposal's payload.
    await refused(
      'repA',
      'PUT',
      `/api/members/${ORG.A}/profile`,
      JSON.stringify({ ...profile('Mondays'), goals: ['\u001b]0;pwned\u0007funds'] }),
      'goals.0',
    );
    await refused(
      'repA',
      'POST',
      '/api/proposals',
      JSON.stringify({
        ...proposal('Values'),
        payload: {
          kind: 'charterChange',
          rules: null,
          sharedValues: ['\u001b[31mred'],
          adoptSops: [],
          retireSopIds: [],
        },
      }),
      'payload.sharedValues.0',
    );
  });

  it('refuses bidi overrides and reordering controls in titles and names', async () => {
    await refused(
      'repA',
      'POST',
      '/api/proposals',
      JSON.stringify(proposal('Grant USD \u202e000,05\u202c to KURN')),
      'title',
    );
    await refused(
      'repA',
      'PUT',
      `/api/proposals/${draftId}`,
      JSON.stringify(proposal('Grant \u2067KURN to USD 50\u2069')),
      'title',
    );
    await refused(
      'facilitator',
      'POST',
      '/api/invitations',
      JSON.stringify({ role: 'auditor', email: 'bidi@example.org', name: '\u202eyrarbil' }),
      'name',
    );
  });

  it('refuses a title of nothing but zero-width characters', async () => {
    await refused('repA', 'POST', '/api/proposals', JSON.stringify(proposal('\u200b\u200c\u200d')), 'title');
    await refused('repA', 'POST', '/api/proposals', JSON.stringify(proposal('\u3164')), 'title');
  });

  it('refuses malformed ids in paths and queries', async () => {
    const path = await world.request('repA', 'GET', `/api/proposals/${encodeURIComponent('a\u0000b')}`);
    expect(path.statusCode).toBe(400);
    // A lone surrogate in UTF-8 bytes: the router cannot decode it; still a problem, with the API's headers.
    for (const method of ['GET', 'POST'] as const) {
      const surrogate = await world.request('repA', method, '/api/proposals/%ED%A0%80/comments', {
        text: 'x',
      });
      expect(surrogate.statusCode).toBe(400);
      expect(surrogate.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(surrogate.headers['x-content-type-options']).toBe('nosniff');
    }
    const query = await world.request('repA', 'GET', '/api/audit?type=%00');
    expect(query.statusCode).toBeLessThan(500);
    expect(query.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('keeps what people really write: Arabic with marks, tabs and new lines, normalized', async () => {
    const created = await world.request(
      'repA',
      'POST',
      '/api/proposals',
      proposal('منحة \u200fKURN 50,000 دولار', 'First line\r\nSecond\tline\r\n'),
    );
    expect(created.statusCode, created.body).toBe(201);
    const comment = await world.request('repA', 'POST', `/api/proposals/${openId}/comments`, {
      text: 'نوافق \u2067KURN\u2069 on it.\r\n— Amal',
    });
    expect(comment.statusCode, comment.body).toBe(201);
    await world.settle();
    const events = await allEvents(world.t.store);
    const drafted = events.findLast((event) => event.type === 'ProposalDrafted');
    expect(drafted?.data).toMatchObject({
      title: 'منحة \u200fKURN 50,000 دولار',
      body: 'First line\nSecond\tline',
    });
    const commented = events.findLast((event) => event.type === 'ProposalCommented');
    expect((commented?.data as { text: string } | undefined)?.text).toBe(
      'نوافق \u2067KURN\u2069 on it.\n— Amal',
    );
  });
});
