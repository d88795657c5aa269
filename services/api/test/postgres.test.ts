import { randomUUID } from 'node:crypto';
import { streamIdFor } from '@concord/domain';
import { openPostgres, PostgresEventStore } from '@concord/event-store';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '@concord/event-store/testing';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionsReadSide } from '../src/read-side.ts';
import { buildServer } from '../src/server.ts';
import { seedCoalition } from './support/coalition.ts';
import { testPasswordCost, testRules } from './support/world.ts';

const ORGANIZATIONS = 40;

/** Two API instances on one PostgreSQL database, as in a scaled-out deployment. */
describe.skipIf(!postgresAvailable)('PostgreSQL: two API instances, one database', () => {
  let database: TestDatabase;
  const dbs: Kysely<unknown>[] = [];
  const stores: PostgresEventStore[] = [];
  const apps: FastifyInstance[] = [];
  const cookies: Record<string, string>[] = [];
  const people: string[] = [];
  let proposalId: string;

  beforeAll(async () => {
    database = await createTestDatabase('concord_api');
    for (let instance = 0; instance < 2; instance++) {
      const db = openPostgres(database.url, 10);
      const store = new PostgresEventStore(db, { pollIntervalMs: 20 });
      await store.migrate();
      const app = await buildServer({
        store,
        db,
        logger: false,
        passwordCost: testPasswordCost,
        // One instance runs the projector and the process steps; the other serves from the same tables.
        processSteps: instance === 0,
        readSide: instance === 0 ? 'embedded' : projectionsReadSide({ db, store, projector: false }),
      });
      await app.ready();
      dbs.push(db);
      stores.push(store);
      apps.push(app);
    }
    const seeded = await seedCoalition(apps[0]!, { organizations: ORGANIZATIONS, rules: testRules });
    for (const { token, personId } of seeded.representatives) {
      cookies.push({ concord_session: token });
      people.push(personId);
    }
    proposalId = seeded.proposals[0]!;
  }, 300_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const store of stores) await store.close();
    for (const db of dbs) await db.destroy();
    await database?.drop();
  });

  it('records every stance exactly once when both instances write to one stream at once', async () => {
    // A client retries a 409 CONCURRENCY_CONFLICT with the same Idempotency-Key, as the problem says.
    const stance = async (index: number) => {
      const key = randomUUID();
      for (let attempt = 0; attempt < 10; attempt++) {
        const response = await apps[index % 2]!.inject({
          method: 'POST',
          url: `/api/proposals/${proposalId}/stances`,
          cookies: cookies[index]!,
          headers: { 'idempotency-key': key },
          payload: { stance: 'consent' },
        });
        if (response.statusCode !== 409) return response.statusCode;
      }
      return 409;
    };
    const statuses = await Promise.all(cookies.map((_, index) => stance(index)));
    expect(statuses.every((status) => status === 201)).toBe(true);
    const events = await stores[0]!.readStream(streamIdFor.proposal(proposalId));
    expect(events.filter((event) => event.type === 'StanceTaken')).toHaveLength(ORGANIZATIONS);
    const retries = await Promise.all(
      apps.map(async (app) =>
        (await app.metrics.commandRetries.get()).values.reduce((sum, value) => sum + value.value, 0),
      ),
    );
    console.log(
      `two instances: ${ORGANIZATIONS} stances, ${retries[0]! + retries[1]!} version conflicts decided again`,
    );

    // The second instance reads the read models the first one's projector keeps.
    await apps[0]!.readSide!.waitFor(await stores[0]!.head(), 30_000);
    const detail = await apps[1]!.inject({
      method: 'GET',
      url: `/api/proposals/${proposalId}`,
      cookies: cookies[1]!,
    });
    expect(detail.statusCode, detail.body).toBe(200);
    expect(detail.json().tally.counted).toBe(ORGANIZATIONS);
  });

  it('judges a command on the stream as the other instance left it, not on a state it kept', async () => {
    const post = (instance: number, organization: number, url: string, payload: object) =>
      apps[instance]!.inject({ method: 'POST', url, cookies: cookies[organization]!, payload });
    const drafted = await post(0, 0, '/api/proposals', {
      title: 'Meet twice a month',
      body: 'More often.',
      payload: {
        kind: 'charterChange',
        rules: null,
        sharedValues: null,
        adoptSops: [{ sopId: 'sop-often', title: 'Meetings', text: 'Twice a month.' }],
        retireSopIds: [],
      },
    });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const draftId = drafted.json().created.proposalId as string;
    const stanceUrl = `/api/proposals/${draftId}/stances`;
    // The second instance refuses a stance on the draft, and keeps the draft's state.
    const early = await post(1, 1, stanceUrl, { stance: 'consent' });
    expect(early.json().code).toBe('PROPOSAL_NOT_OPEN');
    // The first opens it; the second's next stance is judged on the opened proposal, and recorded.
    expect((await post(0, 0, `/api/proposals/${draftId}/opening`, {})).statusCode).toBe(200);
    const stance = await post(1, 1, stanceUrl, { stance: 'consent' });
    expect(stance.statusCode, stance.body).toBe(201);
    // And a stance decided on a kept state the other instance moved on is appended after its events.
    expect((await post(0, 2, stanceUrl, { stance: 'consent' })).statusCode).toBe(201);
    const late = await post(1, 3, stanceUrl, { stance: 'consent' });
    expect(late.statusCode, late.body).toBe(201);
    const events = await stores[0]!.readStream(streamIdFor.proposal(draftId));
    // Drafted, opened, then the three organizations' stances in the order they were taken.
    expect(
      events.map((event) => (event.data as { organizationId?: string }).organizationId ?? event.type),
    ).toEqual(['ProposalDrafted', 'ProposalOpened', 'org-1', 'org-2', 'org-3']);
  });

  it('refuses a command in a role the other instance ended, though this one kept the role (ADR 0043)', async () => {
    const stance = (instance: number, organization: number, stance: string) =>
      apps[instance]!.inject({
        method: 'POST',
        url: `/api/proposals/${proposalId}/stances`,
        cookies: cookies[organization]!,
        payload: { stance, reason: stance === 'consent' ? null : 'Not yet.' },
      });
    // The second instance reads org-5's and org-6's member streams for their representatives' roles, and keeps
    // them.
    expect((await stance(1, 5, 'concerns')).statusCode).toBe(201);
    expect((await stance(1, 6, 'concerns')).statusCode).toBe(201);
    const before = await stores[0]!.streamVersion(streamIdFor.proposal(proposalId));
    // On the first instance, org-5's representative stops representing it, and org-6's streams move on by
    // the same kind of event, whose person is someone else's: org-6's representative keeps the role.
    const removed = await apps[0]!.inject({
      method: 'DELETE',
      url: `/api/members/org-5/representatives/${people[5]}`,
      cookies: cookies[5]!,
      payload: { reason: 'Handing over.' },
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const invited = await apps[0]!.inject({
      method: 'POST',
      url: '/api/members/org-6/invitations',
      cookies: cookies[6]!,
      payload: { name: 'Second rep', email: 'second.rep.org6@example.org', reason: null },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    // The second instance still keeps the old states: the removed representative is refused (the role read
    // again as it is now), the other's stance is recorded in the role read again.
    const refused = await stance(1, 5, 'consent');
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().code).toBe('NO_ROLE');
    const recorded = await stance(1, 6, 'consent');
    expect(recorded.statusCode, recorded.body).toBe(201);
    const events = await stores[0]!.readStream(streamIdFor.proposal(proposalId), { from: before + 1 });
    expect(
      events.map((event) => [event.type, (event.data as { organizationId: string }).organizationId]),
    ).toEqual([['StanceTaken', 'org-6']]);
  });
});
