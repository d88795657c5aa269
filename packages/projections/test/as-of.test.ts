import { openPglite, PostgresEventStore, type RecordedEvent } from '@concord/event-store';
import { appendCoalition, Random } from '@concord/generator';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asOf, buildReadModels, readModels } from '../src/index.ts';

/**
 * "As of" is computed by replaying events with the domain's deciders; the read models by the projector.
 * At any position the two must agree: a rebuild stopped at that position is the read models as they were.
 */
describe('as of a position or a time', () => {
  let db: Kysely<unknown>;
  let store: PostgresEventStore;
  let events: RecordedEvent[];

  beforeAll(async () => {
    ({ db } = await openPglite());
    store = new PostgresEventStore(db);
    await store.migrate();
    await appendCoalition(store, { events: 5000, seed: 17, legacyStanceRate: 0.1 });
    events = await store.readAll({ limit: 10_000 });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('agrees with the read models rebuilt up to the same position', async () => {
    const random = new Random(5);
    const positions = [0.3, 0.55, 0.8, 1].map(
      (share) => events[Math.floor(share * (events.length - 1)) - random.int(0, 40)]!.globalPosition,
    );
    for (const [i, position] of positions.entries()) {
      const schema = `at_${i}`;
      await buildReadModels({ db, store, schema, until: position });
      const views = readModels(db, schema);

      const budgets = await views.budgets();
      for (const summary of budgets) {
        const past = (await asOf.budget(store, { position }, summary.budgetId))!;
        const view = (await views.budget(summary.budgetId))!;
        expect(past.totals).toEqual(summary.totals);
        const amounts = (
          lines: { lineId: string; allocated: number; committed: number; spent: number; remaining: number }[],
        ) =>
          lines
            .map(({ lineId, allocated, committed, spent, remaining }) => ({
              lineId,
              allocated,
              committed,
              spent,
              remaining,
            }))
            .sort((a, b) => a.lineId.localeCompare(b.lineId));
        expect(amounts(past.lines)).toEqual(amounts(view.lines));
        expect(past.questions.filter((q) => !q.answered).length).toBe(summary.openQuestions);
      }
      if (budgets.length > 0) {
        expect((await asOf.budget(store, { position }))?.budgetId).toBe(budgets.at(-1)!.budgetId);
      }

      const members = await asOf.members(store, { position });
      const memberViews = await views.members();
      expect(members.members.map((m) => [m.organizationId, m.name, m.status])).toEqual(
        memberViews.map((m) => [m.organizationId, m.name, m.status]),
      );
      for (const member of members.members.slice(0, 5)) {
        const detail = (await views.member(member.organizationId))!;
        expect(member.representatives.map((r) => [r.personId, r.status])).toEqual(
          detail.representatives.map((r) => [r.personId, r.status]),
        );
        expect(member.profile).toEqual(detail.profile);
      }

      for (const group of await views.workingGroups()) {
        const past = (await asOf.workingGroup(store, { position }, group.groupId))!;
        const view = (await views.workingGroup(group.groupId))!;
        expect(past.status).toBe(view.status);
        expect(past.mandate).toEqual(view.mandate);
        expect(past.leadOrganizationIds).toEqual(view.leadOrganizationIds);
        expect(past.members).toEqual(
          view.members.map(({ organizationId, hoursPerMonth, isLead }) => ({
            organizationId,
            hoursPerMonth,
            isLead,
          })),
        );
      }

      for (const summary of await views.proposals({ limit: 8 })) {
        const past = (await asOf.proposal(store, { position }, summary.proposalId))!;
        const view = (await views.proposal(summary.proposalId))!;
        expect(past.status).toBe(view.status);
        expect(past.revision).toBe(view.revision);
        expect(past.round).toBe(view.round);
        expect(past.recusals).toEqual(view.recusals);
        expect(
          past.stances.map(({ organizationId, stance, reason, revision, needsReview }) => ({
            organizationId,
            stance,
            reason,
            revision,
            needsReview,
          })),
        ).toEqual(
          [...view.stances]
            .sort((a, b) => a.organizationId.localeCompare(b.organizationId))
            .map(({ organizationId, stance, reason, revision, needsReview }) => ({
              organizationId,
              stance,
              reason,
              revision,
              needsReview,
            })),
        );
        if (past.outcome) expect(past.outcome.tally).toEqual(view.tally);
      }
    }
  });

  it('reads a time as every event recorded up to it', async () => {
    const middle = events[Math.floor(events.length / 2)]!;
    const time = middle.recordedAt;
    const prefixEnd = events.findIndex((event) => event.recordedAt.getTime() > time.getTime());
    const position = events[(prefixEnd < 0 ? events.length : prefixEnd) - 1]!.globalPosition;
    expect(await asOf.members(store, { time })).toEqual({
      ...(await asOf.members(store, { position })),
      asOf: { position, recordedAt: time.toISOString() },
    });
    const budget = await asOf.budget(store, { position });
    if (budget) {
      const byTime = (await asOf.budget(store, { time }, budget.budgetId))!;
      expect(byTime.lines).toEqual(budget.lines);
    }
  });

  it('knows nothing before the first event', async () => {
    expect(await asOf.budget(store, { position: 0 })).toBeNull();
    expect((await asOf.members(store, { position: 0 })).members).toEqual([]);
    expect(await asOf.workingGroup(store, { position: 0 }, 'wg-grants')).toBeNull();
    expect(await asOf.proposal(store, { time: new Date('2000-01-01') }, 'prop-000001')).toBeNull();
  });
});
