import { queryRoutes, type RouteContract, replayCheckSchema } from '@concord/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { BUDGET, GROUP, ORG, pathOf, World } from './support/world.ts';

describe('queries over the read models, the audit trail and "as of"', () => {
  let world: World;
  let proposalId: string;
  let beforeChange: number;
  let grantCallId: string;
  let expenseId: string;

  beforeAll(async () => {
    world = await World.create();
    await world.settle();
    beforeChange = await world.t.store.head();
    proposalId = await world.openBudgetProposal('repA', { lineId: 'shared', delta: 50_000 });
    for (const name of ['repA', 'repB', 'groupMember', 'nonMember'] as const)
      await world.stance(name, proposalId);
    await world.as('repB', { type: 'DecideProposal', proposalId });
    grantCallId = await world.grantCall();
    expenseId = await world.expense();
    await world.settle();
  }, 180_000);
  afterAll(() => world?.close());

  const get = async (url: string) => {
    const response = await world.request('auditor', 'GET', url);
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
    return response.json();
  };

  it('answers every query route in the shape its contract describes', async () => {
    const head = await world.t.store.head();
    const params: Record<string, string> = {
      organizationId: ORG.A,
      groupId: GROUP,
      budgetId: BUDGET,
      lineId: 'shared',
      proposalId,
      grantCallId,
      expenseId,
    };
    const queries: Record<string, string> = {
      budgetAsOf: `position=${head}`,
      membersAsOf: `position=${head}`,
      workingGroupAsOf: `position=${head}`,
      proposalAsOf: `time=${encodeURIComponent(new Date().toISOString())}`,
    };
    for (const [id, route] of Object.entries(queryRoutes) as [string, RouteContract][]) {
      // Downloads (not JSON) and the replay check (a POST) have their own tests.
      if (route.contentType || route.method !== 'GET' || id === 'currentReplay') continue;
      const url = pathOf(route.path, params) + (queries[id] ? `?${queries[id]}` : '');
      const body = await get(url);
      const parsed = (route.response as z.ZodType).safeParse(body);
      expect(
        parsed.success,
        `${id}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues.slice(0, 3))}`,
      ).toBe(true);
    }
  });

  it('runs a replay check over the API: identical, then the first difference once a view is altered', async () => {
    const started = await world.request('auditor', 'POST', '/api/audit/replays', {});
    expect(started.statusCode, started.body).toBe(202);
    expect(replayCheckSchema.parse(started.json())).toMatchObject({
      state: 'running',
      progress: { done: 0 },
    });
    await world.app.replays?.settled();
    // One at a time: asking while one runs answers the running check.
    const replays = world.app.replays!;
    const first = replays.start('someone');
    expect(replays.start('someone else').replayId).toBe(first.replayId);
    await replays.settled();
    const done = replayCheckSchema.parse(
      (await world.request('auditor', 'GET', '/api/audit/replays/current')).json(),
    );
    expect(done).toMatchObject({ state: 'identical', differences: [], error: null });
    expect(done.position).toBe(await world.t.store.head());
    expect(done.progress.done).toBe(done.progress.total);

    // Someone with the database alters a projected figure: the next check names the table and the rows.
    await sql`UPDATE readmodel.budget_lines SET allocated = allocated + 1 WHERE line_id = 'shared'`.execute(
      world.t.db,
    );
    expect((await world.request('auditor', 'POST', '/api/audit/replays', {})).statusCode).toBe(202);
    await world.app.replays?.settled();
    const altered = replayCheckSchema.parse(
      (await world.request('auditor', 'GET', '/api/audit/replays/current')).json(),
    );
    expect(altered.state).toBe('different');
    expect(altered.differences.map((difference) => difference.table)).toContain('budget_lines');
    await sql`UPDATE readmodel.budget_lines SET allocated = allocated - 1 WHERE line_id = 'shared'`.execute(
      world.t.db,
    );
  }, 120_000);

  it('lists who is who by name, with staff roles and organizations, never an e-mail address', async () => {
    const { people } = await get('/api/people');
    const byId = new Map(people.map((person: { personId: string }) => [person.personId, person]));
    expect(byId.get(world.people.get('facilitator')!.personId)).toMatchObject({ staffRole: 'facilitator' });
    expect(byId.get(world.people.get('auditor')!.personId)).toMatchObject({ staffRole: 'auditor' });
    expect(byId.get(world.people.get('repA')!.personId)).toMatchObject({
      staffRole: null,
      organizationId: ORG.A,
    });
    expect(JSON.stringify(people)).not.toMatch(/@|password|hash/i);
  });

  it('shows the executed budget change, with its history', async () => {
    const budget = await get(`/api/budgets/${BUDGET}`);
    expect(budget.lines.find((line: { lineId: string }) => line.lineId === 'shared').allocated).toBe(150_000);
    const { changes } = await get(`/api/budgets/${BUDGET}/lines/shared/history`);
    expect(changes.at(-1)).toMatchObject({ amount: 50_000, proposalId, decidedBy: { type: 'coalition' } });
  });

  it('shows a stance right after the command that took it (read-your-writes)', async () => {
    const open = await world.openBudgetProposal('repA');
    await world.settle();
    const stance = await world.request('repB', 'POST', `/api/proposals/${open}/stances`, {
      stance: 'concerns',
      reason: 'Timing',
    });
    expect(stance.statusCode).toBe(201);
    const proposal = await get(`/api/proposals/${open}`);
    expect(
      proposal.stances.find((entry: { organizationId: string }) => entry.organizationId === ORG.B),
    ).toMatchObject({
      stance: 'concerns',
      reason: 'Timing',
    });
    expect(proposal.recusals).toEqual([{ organizationId: ORG.R, reason: 'linePartner' }]);
  });

  it('filters the audit trail by actor, organization, body, proposal, line, type and time, paged by position', async () => {
    const byProposal = await get(`/api/audit?proposal=${proposalId}&limit=1000`);
    expect(byProposal.entries.map((entry: { type: string }) => entry.type)).toEqual(
      expect.arrayContaining([
        'ProposalDrafted',
        'ProposalOpened',
        'StanceTaken',
        'ProposalDecided',
        'ProposalExecuted',
      ]),
    );
    const stances = await get(`/api/audit?proposal=${proposalId}&type=StanceTaken`);
    expect(stances.entries).toHaveLength(4);
    const byActor = await get(
      `/api/audit?actor=${world.people.get('repB')!.personId}&proposal=${proposalId}`,
    );
    expect(byActor.entries.map((entry: { type: string }) => entry.type)).toEqual([
      'StanceTaken',
      'ProposalDecided',
    ]);
    const byOrganization = await get(`/api/audit?organization=${ORG.N}&type=StanceTaken`);
    expect(
      byOrganization.entries.every((entry: { organizationId: string }) => entry.organizationId === ORG.N),
    ).toBe(true);
    const byLine = await get(`/api/audit?line=shared&budget=${BUDGET}`);
    expect(byLine.entries.length).toBeGreaterThan(0);
    const byBody = await get('/api/audit?body=coalition&type=ProposalDecided');
    expect(byBody.entries.length).toBeGreaterThan(0);
    const future = await get(
      `/api/audit?from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`,
    );
    expect(future.entries).toEqual([]);

    // Paging: two at a time, following `next`, gives the same entries as one page.
    const whole = (await get(`/api/audit?proposal=${proposalId}&limit=1000`)).entries;
    const paged = [];
    let after: number | null = 0;
    while (after !== null) {
      const page: { entries: unknown[]; next: number | null } = await get(
        `/api/audit?proposal=${proposalId}&limit=2&after=${after}`,
      );
      paged.push(...page.entries);
      after = page.next;
    }
    expect(paged).toEqual(whole);
  });

  it('shows the budget, the membership and a proposal as they were', async () => {
    const then = await get(`/api/as-of/budgets/${BUDGET}?position=${beforeChange}`);
    expect(then.lines.find((line: { lineId: string }) => line.lineId === 'shared').allocated).toBe(100_000);
    const before = await get(`/api/as-of/members?time=${encodeURIComponent('2000-01-01T00:00:00Z')}`);
    expect(before.members).toEqual([]);
    const [drafted] = (await get(`/api/audit?proposal=${proposalId}&limit=1`)).entries;
    const proposal = await get(`/api/as-of/proposals/${proposalId}?position=${drafted.position}`);
    expect(proposal).toMatchObject({ status: 'draft', stances: [] });
  });

  it('answers 404 for an unknown record and 400 for a malformed moment', async () => {
    const unknown = await world.request('repA', 'GET', '/api/proposals/unknown-proposal');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('RESOURCE_NOT_FOUND');
    const both = await world.request(
      'repA',
      'GET',
      `/api/as-of/members?position=1&time=${encodeURIComponent(new Date().toISOString())}`,
    );
    expect(both.statusCode).toBe(400);
    const neither = await world.request('repA', 'GET', '/api/as-of/members');
    expect(neither.statusCode).toBe(400);
  });
});
