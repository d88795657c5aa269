import { streamIdFor } from '@concord/domain';
import { openPostgresEventStore } from '@concord/event-store';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '@concord/event-store/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGET, ORG, World } from './support/world.ts';

/**
 * EVENTSTORE_URL: the events in one store, the read models and the API's tables in another database.
 * The API reaches the events only through the event store port, so it runs the same on any adapter.
 */
describe.skipIf(!postgresAvailable)('the API with its events in a separate store', () => {
  let database: TestDatabase;
  let world: World;
  // The server's clock, moved forward to reach a scheduled time without waiting for it.
  let ahead = 0;

  beforeAll(async () => {
    database = await createTestDatabase('concord_api_events');
    const eventStore = await openPostgresEventStore(database.url, { pollIntervalMs: 20 });
    world = await World.create({ eventStore, clock: () => new Date(Date.now() + ahead) });
  }, 180_000);
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  it('decides, executes and projects a budget change, with no event in the read-model database', async () => {
    const proposalId = await world.openBudgetProposal('repA', { lineId: 'shared', delta: 7_000 });
    for (const name of ['repA', 'repB', 'groupMember', 'nonMember'] as const)
      await world.stance(name, proposalId);
    const scheduled = await world.request('facilitator', 'PUT', `/api/proposals/${proposalId}/schedule`, {
      scheduledFor: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    ahead = 2 * 3_600_000;
    // The scheduler lists open proposals from the read models, then decides from the proposal's stream.
    await world.settle();
    await world.app.processes.scheduler.sweep();
    await world.settle();

    const events = await world.t.store.readStream(streamIdFor.proposal(proposalId));
    expect(events.map((event) => event.type)).toContain('ProposalDecided');
    const budget = await world.request('auditor', 'GET', `/api/budgets/${BUDGET}`);
    const shared = budget.json().lines.find((line: { lineId: string }) => line.lineId === 'shared');
    expect(shared.allocated).toBe(107_000);
    const proposal = await world.request('repB', 'GET', `/api/proposals/${proposalId}`);
    expect(proposal.json().status).toBe('executed');
    expect(
      proposal.json().stances.map((stance: { organizationId: string }) => stance.organizationId),
    ).toContain(ORG.B);

    // Everything was appended to the PostgreSQL server; the API's own database holds no event table.
    const { rows } = await sql<{
      table: string | null;
    }>`select to_regclass('eventstore.events')::text as table`.execute(world.t.db);
    expect(rows[0]?.table).toBeNull();
    expect(await world.t.store.head()).toBeGreaterThan(0);
    const verified = await world.request('auditor', 'GET', '/api/audit/verification');
    expect(verified.json()).toMatchObject({ ok: true });
  });
});
