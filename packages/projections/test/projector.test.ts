import { openPglite, PostgresEventStore } from '@concord/event-store';
import { generateCoalition } from '@concord/generator';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppliedBatch,
  buildReadModels,
  compareReadModels,
  Projector,
  type ReadModels,
  readModels,
} from '../src/index.ts';
import type { AuditEntry } from '../src/read-models/audit/schema.ts';

describe('projector on embedded PGlite', () => {
  let db: Kysely<unknown>;
  let store: PostgresEventStore;
  let projector: Projector;
  let views: ReadModels;
  const batches: AppliedBatch[] = [];
  let lastPosition = 0;
  let appended = 0;

  beforeAll(async () => {
    ({ db } = await openPglite());
    store = new PostgresEventStore(db, { pollIntervalMs: 50 });
    await store.migrate();
    const appends = [...generateCoalition({ events: 6000, seed: 11, legacyStanceRate: 0.05 })];
    // One organization acting for another, which the generated history never has: a working group's
    // lead adds an organization to it.
    const joined = appends.flatMap((append) => append.events).find((e) => e.type === 'WorkingGroupJoined')!;
    const { organizationId } = joined.data as { organizationId: string };
    const lead = organizationId === 'org-002' ? 'org-003' : 'org-002';
    joined.metadata = {
      ...joined.metadata,
      actor: { personId: `person-${lead.slice(4)}-1`, organizationId: lead, role: 'representative' },
    };
    const half = Math.floor(appends.length / 2);
    for (const append of appends.slice(0, half)) {
      const result = await store.append(append.streamId, append.events, {
        expectedVersion: append.expectedVersion,
      });
      lastPosition = result.lastGlobalPosition;
      appended += append.events.length;
    }
    projector = new Projector({ db, store, batchSize: 700 });
    projector.onBatch((batch) => batches.push(batch));
    await projector.start();
    expect(projector.position).toBe(lastPosition);
    // Live: the rest arrives while the projector follows.
    for (const append of appends.slice(half)) {
      const result = await store.append(append.streamId, append.events, {
        expectedVersion: append.expectedVersion,
      });
      lastPosition = result.lastGlobalPosition;
      appended += append.events.length;
    }
    await projector.waitFor(lastPosition, 60_000);
    views = readModels(db);
  });
  afterAll(async () => {
    await projector?.stop();
    await store?.close();
  });

  it('applies every event once and moves the checkpoint with the views', async () => {
    const checkpoint = await views.checkpoint();
    expect(checkpoint).toMatchObject({ position: lastPosition, events: appended });
    expect(batches.reduce((total, batch) => total + batch.events.length, 0)).toBe(appended);
    const { entries } = await views.auditTrail({ limit: 1000 });
    expect(entries[0]?.type).toBe('CoalitionFounded');
  });

  it('is identical, row by row, to a rebuild from the first event', async () => {
    await buildReadModels({ db, store, schema: 'scratch', batchSize: 2500 });
    const comparison = await compareReadModels(db, 'readmodel', 'scratch');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });

  it('reports what changed in each batch, with the audit rows', () => {
    const all = batches.flatMap((batch) => batch.changes);
    expect(all).toContainEqual({ view: 'charter', id: 'charter' });
    expect(all.some((change) => change.view === 'proposal')).toBe(true);
    expect(all.some((change) => change.view === 'budgetLine')).toBe(true);
    for (const batch of batches)
      expect(batch.audit.map((entry) => entry.position)).toEqual(batch.events.map((e) => e.globalPosition));
  });

  it('shows the budget with lines, their history and the deciding proposals', async () => {
    const [budget] = await views.budgets();
    expect(budget).toBeDefined();
    const detail = (await views.budget(budget!.budgetId))!;
    expect(detail.lines.length).toBeGreaterThan(0);
    for (const line of detail.lines) {
      expect(line.remaining).toBe(line.allocated - line.committed - line.spent);
      expect(line.paid).toBeLessThanOrEqual(line.spent);
      expect(line.currency).toBe('USD');
      const history = await views.lineHistory(line.lineId, { budgetId: budget!.budgetId });
      expect(history[0]?.change).toBe('created');
      expect(history.at(-1)?.after).toEqual({
        allocated: line.allocated,
        committed: line.committed,
        spent: line.spent,
        paid: line.paid,
        remaining: line.remaining,
      });
      // Every change names who decided it: a proposal, or the group that approved an expense.
      expect(
        history.every(
          (change) =>
            change.decidedBy !== null &&
            (change.change === 'expenseSpent' || change.change === 'expensePaid'
              ? change.expenseId !== null
              : change.proposalTitle !== null),
        ),
      ).toBe(true);
    }
    expect(detail.totals.allocated).toBe(detail.lines.reduce((sum, line) => sum + line.allocated, 0));
    expect(detail.totals.paid).toBe(detail.lines.reduce((sum, line) => sum + line.paid, 0));
    // The seeded coalition pays some of its expenses: the figure is the paid expenses' amounts.
    const paidExpenses = await views.expenses({ budgetId: budget!.budgetId, status: 'paid' });
    expect(paidExpenses.length).toBeGreaterThan(0);
    expect(detail.totals.paid).toBe(paidExpenses.reduce((sum, expense) => sum + expense.amount, 0));
  });

  it('shows proposals with their tally, stances, recusals and live time left', async () => {
    const decided = await views.proposals({ status: ['executed', 'adopted', 'notAdopted'], limit: 5 });
    expect(decided.length).toBeGreaterThan(0);
    const proposal = (await views.proposal(decided[0]!.proposalId, { now: '2030-01-01T00:00:00Z' }))!;
    expect(proposal.outcome).not.toBeNull();
    expect(proposal.stances.length).toBe(proposal.tally.counted + proposal.tally.needsReview);
    expect(proposal.live.timeLeftMs).toBeNull();
    expect(proposal.revisions[0]?.revision).toBe(1);
    const open = await views.proposals({ status: 'open', limit: 1 });
    if (open[0]) {
      const live = (await views.proposal(open[0].proposalId, { now: open[0].openedAt! }))!;
      expect(live.live.timeLeftMs).toBeGreaterThan(0);
      expect(live.live.outcome?.status).toBe('open');
    }
    const page = await views.proposals({ limit: 3 });
    const next = await views.proposals({ limit: 3, before: page.at(-1)!.position });
    expect(next[0]!.position).toBeLessThan(page.at(-1)!.position);
  });

  it('shows members, representatives, working groups, grants and the charter', async () => {
    const members = await views.members();
    expect(members.length).toBeGreaterThanOrEqual(24);
    const member = (await views.member(members[0]!.organizationId))!;
    const active = member.representatives.find((rep) => rep.status === 'active')!;
    expect(await views.representativesOf(active.personId)).toEqual([
      { organizationId: member.organizationId, organizationName: member.name },
    ]);
    const groups = await views.workingGroups();
    expect(groups.map((group) => group.groupId).sort()).toEqual([
      'wg-advocacy',
      'wg-finance',
      'wg-grants',
      'wg-language',
    ]);
    const grants = (await views.workingGroup('wg-grants'))!;
    expect(grants.memberCount).toBe(grants.members.length);
    const charter = (await views.charter())!;
    expect(charter.history[0]?.change).toBe('founded');
    expect(charter.sops.length).toBeGreaterThan(0);
    const calls = await views.grantCalls();
    if (calls[0]) {
      const call = (await views.grantCall(calls[0].grantCallId))!;
      expect(call.applications.length).toBe(calls[0].applications);
    }
  });

  it('pages and filters the audit trail', async () => {
    const first = await views.auditTrail({ limit: 50 });
    expect(first.entries).toHaveLength(50);
    const second = await views.auditTrail({ limit: 50, after: first.next! });
    expect(second.entries[0]!.position).toBeGreaterThan(first.entries.at(-1)!.position);
    const stances = await views.auditTrail({ type: 'StanceTaken', limit: 10 });
    expect(stances.entries.every((entry) => entry.type === 'StanceTaken' && entry.proposalId !== null)).toBe(
      true,
    );
    const proposalId = stances.entries[0]!.proposalId!;
    const ofProposal = await views.auditTrail({ proposal: proposalId, limit: 1000 });
    expect(ofProposal.entries[0]!.type).toBe('ProposalDrafted');
    const byOrg = await views.auditTrail({ organization: 'org-001', limit: 20 });
    expect(
      byOrg.entries.every((e) => e.organizationId === 'org-001' || e.actor.organizationId === 'org-001'),
    ).toBe(true);
    const coalition = await views.auditTrail({ body: 'coalition', limit: 20 });
    expect(coalition.entries.every((e) => e.body?.type === 'coalition')).toBe(true);
    const line = await views.auditTrail({ line: 'grants', limit: 20 });
    expect(line.entries.every((e) => e.lineId === 'grants')).toBe(true);
  });

  it('finds every entry of an organization, whether it acted or the event concerned it', async () => {
    const everything: AuditEntry[] = [];
    for (let after = 0; ; ) {
      const page = await views.auditTrail({ after, limit: 1000 });
      everything.push(...page.entries);
      if (page.next === null) break;
      after = page.next;
    }
    // A row whose actor acted for another organization only the filter's second arm finds (the arm the
    // partial index `audit_trail_actor_organization` serves).
    const actingForAnother = everything.filter(
      (e) => e.actor.organizationId !== null && e.organizationId !== e.actor.organizationId,
    );
    expect(actingForAnother.length).toBeGreaterThan(0);
    const organization = actingForAnother[0]!.actor.organizationId!;
    const expected = everything
      .filter((e) => e.organizationId === organization || e.actor.organizationId === organization)
      .map((e) => e.position);
    const found: number[] = [];
    for (let after = 0; ; ) {
      const page = await views.auditTrail({ organization, after, limit: 1000 });
      found.push(...page.entries.map((e) => e.position));
      if (page.next === null) break;
      after = page.next;
    }
    expect(found).toEqual(expected);
    expect(found).toContain(actingForAnother[0]!.position);
  });

  it('pages the audit trail newest first, and filters still apply', async () => {
    const newest = await views.auditTrail({ order: 'newest', limit: 50 });
    expect(newest.entries[0]!.position).toBe(lastPosition);
    const positions = newest.entries.map((entry) => entry.position);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));
    const older = await views.auditTrail({ order: 'newest', before: newest.next!, limit: 50 });
    expect(older.entries[0]!.position).toBeLessThan(newest.entries.at(-1)!.position);
    const stances = await views.auditTrail({ order: 'newest', type: 'StanceTaken', limit: 5 });
    expect(stances.entries.every((entry) => entry.type === 'StanceTaken')).toBe(true);
    const oldestStance = await views.auditTrail({ type: 'StanceTaken', limit: 1 });
    expect(stances.entries[0]!.position).toBeGreaterThan(oldestStance.entries[0]!.position);
  });

  it('resumes from its checkpoint after a restart', async () => {
    await projector.stop();
    await projector.start();
    expect(projector.position).toBe(lastPosition);
  });
});
