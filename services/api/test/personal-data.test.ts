import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { openPglite, PostgresEventStore } from '@concord/event-store';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/auth/plugin.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { FeedClient } from './support/live.ts';
import { allEvents, ORG, World } from './support/world.ts';

describe('personal data never enters the history', () => {
  it('a whole coalition, founded and run through the API to its grants, writes no name or address into an event', async () => {
    const { db } = await openPglite();
    const store = new PostgresEventStore(db);
    await store.migrate();
    try {
      const demo = await seedDemo({ store, db });
      expect(demo?.people.length).toBeGreaterThan(5);
      const events = await allEvents(store);
      expect(events.length).toBeGreaterThan(100);
      const types = new Set(events.map((event) => event.type));
      for (const type of [
        'CoalitionFounded',
        'RepresentativeAppointed',
        'StanceTaken',
        'GrantAwarded',
        'ExpenseSubmitted',
        'ExpenseSpent',
        'ExpensePaid',
        'ExpenseRejected',
      ]) {
        expect(types.has(type), type).toBe(true);
      }
      const stored = events.map((event) => JSON.stringify({ data: event.data, metadata: event.metadata }));
      for (const person of demo?.people ?? []) {
        const familyName = person.name.split(' ').slice(1).join(' ');
        for (const text of stored) {
          expect(text).not.toContain(person.email);
          expect(text).not.toContain(person.name);
          // Not even the family name alone.
          if (familyName) expect(text).not.toContain(familyName);
        }
      }
    } finally {
      await store.close();
      await db.destroy();
    }
  }, 300_000);
});

describe('a person is forgotten', () => {
  let world: World;
  const lines: string[] = [];
  const name = 'Yasmin Qassem';
  const email = 'yasmin.qassem@example.org';
  let personId: string;

  beforeAll(async () => {
    // Everything the server logs, kept to look for the name afterwards.
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    world = await World.create({ logger });
    const invited = await world.request('repA', 'POST', `/api/members/${ORG.A}/invitations`, {
      email,
      name,
      reason: 'Our new coordinator',
    });
    expect(invited.statusCode, invited.body).toBe(201);
    personId = invited.json().personId;
    const accepted = await world.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token: world.t.mailer.lastToken(email), password: 'a long password of Yasmin' },
    });
    expect(accepted.json().role).toBe('representative');
    const cookie = accepted.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
    const proposalId = await world.openBudgetProposal('repA');
    const comment = await world.app.inject({
      method: 'POST',
      url: `/api/proposals/${proposalId}/comments`,
      cookies: { [SESSION_COOKIE]: cookie },
      payload: { text: 'We support this.' },
    });
    expect(comment.statusCode, comment.body).toBe(201);
    await world.settle();
    // Before: members see her name.
    expect(JSON.stringify((await world.request('repB', 'GET', '/api/people')).json())).toContain(name);
  }, 180_000);
  afterAll(() => world?.close());

  it('refuses to forget someone Concord never knew, recording nothing', async () => {
    const before = await allEvents(world.t.store);
    for (const id of ['0b6c1f0e-5d0a-4c57-9a57-3d1f2a0f9e11', '..%2F..%2Fetc%2Fpasswd']) {
      const answer = await world.request('facilitator', 'POST', `/api/people/${id}/forgetting`, {});
      expect(answer.statusCode, answer.body).toBe(404);
      expect(answer.json().code).toBe('PERSON_NOT_FOUND');
    }
    expect(await allEvents(world.t.store)).toHaveLength(before.length);
  });

  it('leaves her acts in the history, her data nowhere, and the history verifies and replays identically', async () => {
    const refused = await world.request('repB', 'POST', `/api/people/${personId}/forgetting`, {});
    expect(refused.json().code).toBe('NOT_YOUR_ORGANIZATION');
    const forgotten = await world.request('repA', 'POST', `/api/people/${personId}/forgetting`, {});
    expect(forgotten.statusCode, forgotten.body).toBe(200);
    expect(forgotten.json().events[0].type).toBe('PersonForgotten');
    const again = await world.request('facilitator', 'POST', `/api/people/${personId}/forgetting`, {});
    expect(again.json().code).toBe('PERSON_ALREADY_FORGOTTEN');
    await world.settle();

    // She can no longer sign in; her sessions ended.
    const signIn = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: 'a long password of Yasmin' },
    });
    expect(signIn.statusCode).toBe(401);

    // The live feed, replayed from the first event for a member of another organization.
    await world.app.listen({ port: 0, host: '127.0.0.1' });
    const feed = await FeedClient.as(
      world,
      `ws://127.0.0.1:${(world.app.server.address() as AddressInfo).port}/api/live`,
      'repB',
    );
    feed.resume(0);
    await feed.caughtUp();
    expect(feed.entries().length).toBeGreaterThan(0);
    feed.close();

    const everywhere = [
      JSON.stringify(feed.messages),
      (await world.request('repB', 'GET', '/api/people')).body,
      (await world.request('repB', 'GET', `/api/members/${ORG.A}`)).body,
      (await world.request('repB', 'GET', '/api/audit?limit=500')).body,
      (await world.request('auditor', 'GET', '/api/export?format=jsonl')).body,
      (await world.request('auditor', 'GET', '/api/export?format=csv')).body,
      (await world.request('facilitator', 'GET', '/api/export?format=csv&names=included')).body,
      JSON.stringify(await allEvents(world.t.store)),
      lines.join(''),
    ];
    for (const text of everywhere) {
      expect(text).not.toContain(name);
      expect(text).not.toContain('Yasmin');
      expect(text).not.toContain(email);
    }
    // Her representation ended with her account (nobody can speak through it): the step after the
    // forgetting removed her from her organization, so A is represented by those who can still act.
    const member = (await world.request('repB', 'GET', `/api/members/${ORG.A}`)).json();
    expect(member.representatives.map((r: { personId: string }) => r.personId)).not.toContain(personId);
    const removal = (await allEvents(world.t.store)).find(
      (event) =>
        event.type === 'RepresentativeRemoved' && (event.data as { personId: string }).personId === personId,
    );
    expect(removal?.data).toMatchObject({ organizationId: ORG.A, removedBy: 'system:forgetting' });
    expect(removal?.metadata.causationId).toBe(forgotten.json().events[0].id);
    // Her acts stay: the comment is there, by her id.
    const trail = (await world.request('repB', 'GET', `/api/audit?actor=${personId}`)).json();
    expect(trail.entries.map((entry: { type: string }) => entry.type)).toEqual(
      expect.arrayContaining(['RepresentativeJoined', 'ProposalCommented']),
    );

    expect((await world.t.store.verify()).ok).toBe(true);
    const replays = world.app.replays!;
    replays.start('auditor');
    await replays.settled();
    expect(replays.current?.state).toBe('identical');
  }, 180_000);

  it('exports pseudonymously by default and says so; names only for members and the facilitator', async () => {
    const csv = (await world.request('auditor', 'GET', '/api/export?format=csv')).body;
    const [header, first] = csv.split('\r\n');
    expect(header?.endsWith(',actor_name')).toBe(true);
    expect(first?.endsWith(',(pseudonymous export)')).toBe(true);
    const refused = await world.request('auditor', 'GET', '/api/export?format=csv&names=included');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('NAMES_NOT_FOR_AUDITORS');
    const named = await world.request('repB', 'GET', '/api/export?format=csv&names=included');
    expect(named.headers['x-concord-names']).toBe('with-names');
    expect(named.body).not.toContain('(pseudonymous export)');
    const repA = world.people.get('repA')!;
    const directory = (await world.request('repB', 'GET', '/api/people')).json().people as {
      personId: string;
      name: string;
    }[];
    const repAName = directory.find((person) => person.personId === repA.personId)!.name;
    expect(named.body).toContain(repAName);
    expect((await world.request('repB', 'GET', '/api/export?format=jsonl&names=included')).statusCode).toBe(
      400,
    );
  }, 60_000);

  it('keeps the forgotten forgotten when old data comes back (a backup restored from before)', async () => {
    const auth = world.app.auth;
    await auth.db
      .updateTable('auth.people')
      .set({ name, email, forgotten_at: null })
      .where('person_id', '=', personId)
      .execute();
    expect((await auth.namesOf([personId])).get(personId)).toBe(name);
    await world.app.processes.retention.sweep();
    expect((await auth.namesOf([personId])).get(personId)).toBeUndefined();
    expect(await auth.personByEmail(email)).toBeUndefined();
  });

  it('deletes links, sessions and idempotency records past their retention', async () => {
    const auth = world.app.auth;
    const { personId: someone } = await world.person('Retained');
    const old = new Date(Date.now() - 40 * 86_400_000);
    await auth.issueToken('reset', someone, { personId: someone }, 60_000);
    const { sessionId } = await auth.createSession(someone, 'old phone');
    await auth.db
      .updateTable('auth.tokens')
      .set({ expires_at: old })
      .where('person_id', '=', someone)
      .execute();
    await auth.db
      .updateTable('auth.sessions')
      .set({ expires_at: old })
      .where('session_id', '=', sessionId)
      .execute();
    await world.app.processes.retention.sweep();
    const tokens = await auth.db
      .selectFrom('auth.tokens')
      .select('token_hash')
      .where('person_id', '=', someone)
      .execute();
    const sessions = await auth.db
      .selectFrom('auth.sessions')
      .select('session_id')
      .where('session_id', '=', sessionId)
      .execute();
    expect(tokens).toEqual([]);
    expect(sessions).toEqual([]);
  });
});
