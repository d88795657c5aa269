import { openPostgres } from '@concord/event-store';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '@concord/event-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldForSuite } from './support/suite.ts';
import { allEvents, BUDGET, World } from './support/world.ts';

/** The ops line (USD 5,000, stewarded by the group: one approval up to USD 1,000) as members read it. */
async function opsLine(world: World, lineId = 'ops') {
  await world.settle();
  const budget = await world.request('repB', 'GET', `/api/budgets/${BUDGET}`);
  type Line = { lineId: string; committed: number; spent: number; paid: number; remaining: number };
  return (budget.json() as { lines: Line[] }).lines.find((line) => line.lineId === lineId);
}

describe('expenses over HTTP', () => {
  let world: World;
  worldForSuite({}, (created) => {
    world = created;
  });

  it('a member submits, the stewarding group approves and records the payment; the line and its history show it', async () => {
    const submitted = await world.request('repA', 'POST', `/api/budgets/${BUDGET}/expenses`, {
      lineId: 'ops',
      amount: 42_000,
      description: 'Interpreters for the March meeting',
      payeeName: 'Lingua Kampala',
      spentOn: '2025-03-05',
    });
    expect(submitted.statusCode).toBe(201);
    const { expenseId } = submitted.json().created as { expenseId: string };
    expect((await opsLine(world))?.spent).toBe(0);

    // The submitter cannot approve its own expense; the group's member can.
    const own = await world.request('repA', 'POST', `/api/budgets/${BUDGET}/expenses/${expenseId}/approve`);
    expect(own.statusCode).toBe(403);
    const approved = await world.request(
      'groupMember',
      'POST',
      `/api/budgets/${BUDGET}/expenses/${expenseId}/approve`,
    );
    expect(approved.statusCode).toBe(200);
    expect(approved.json().events.map((event: { type: string }) => event.type)).toEqual([
      'ExpenseApproved',
      'ExpenseSpent',
    ]);
    const line = await opsLine(world);
    expect(line?.spent).toBe(42_000);
    expect(line?.remaining).toBe(500_000 - 42_000);

    const history = await world.request('repB', 'GET', `/api/budgets/${BUDGET}/lines/ops/history`);
    const last = (history.json().changes as Record<string, unknown>[]).at(-1);
    expect(last).toMatchObject({
      change: 'expenseSpent',
      amount: 42_000,
      expenseId,
      proposalId: null,
      description: 'Interpreters for the March meeting',
      decidedBy: { type: 'workingGroup' },
    });

    const paid = await world.request(
      'groupMember',
      'POST',
      `/api/budgets/${BUDGET}/expenses/${expenseId}/paid`,
      {
        reference: 'Transfer 2025-031',
      },
    );
    expect(paid.statusCode).toBe(200);
    await world.settle();
    const read = await world.request('auditor', 'GET', `/api/budgets/${BUDGET}/expenses/${expenseId}`);
    expect(read.json()).toMatchObject({
      status: 'paid',
      amount: 42_000,
      payeeName: 'Lingua Kampala',
      paymentReference: 'Transfer 2025-031',
      approvals: [{ organizationId: expect.any(String) }],
      receipts: [],
    });
    // Paying moved no money: it was spent when approved; the line shows it paid.
    expect(await opsLine(world)).toMatchObject({ spent: 42_000, paid: 42_000 });
    const after = await world.request('repB', 'GET', `/api/budgets/${BUDGET}/lines/ops/history`);
    expect((after.json().changes as Record<string, unknown>[]).at(-1)).toMatchObject({
      change: 'expensePaid',
      amount: 42_000,
      expenseId,
      after: { spent: 42_000, paid: 42_000 },
    });

    // The budget's CSV shows the line's figures, and every change row names the event that made it.
    const csv = await world.request('auditor', 'GET', `/api/budgets/${BUDGET}/budget.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = csv.body
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const column = (name: string) => header!.indexOf(name);
    const opsRow = rows.find((row) => row[0] === 'line' && row[1] === 'ops');
    expect(opsRow?.slice(column('allocated'), column('remaining') + 1)).toEqual([
      '500000',
      '0',
      '42000',
      '42000',
      String(500_000 - 42_000),
    ]);
    const opsChanges = rows.filter((row) => row[0] === 'change' && row[1] === 'ops');
    expect(opsChanges.map((row) => row[column('change')])).toEqual([
      'created',
      'expenseSpent',
      'expensePaid',
    ]);
    const events = await allEvents(world.t.store);
    for (const row of opsChanges) {
      const event = events.find((candidate) => candidate.globalPosition === Number(row[column('position')]));
      expect(event?.type).toBe(
        { created: 'BudgetLineCreated', expenseSpent: 'ExpenseSpent', expensePaid: 'ExpensePaid' }[
          row[column('change')]!
        ],
      );
    }
    expect(opsChanges.at(-1)?.slice(column('allocated'), column('remaining') + 1)).toEqual(
      opsRow?.slice(column('allocated'), column('remaining') + 1),
    );
    const listed = await world.request(
      'repB',
      'GET',
      `/api/budgets/${BUDGET}/expenses?lineId=ops&status=paid`,
    );
    expect(listed.json().expenses.map((expense: { expenseId: string }) => expense.expenseId)).toContain(
      expenseId,
    );
  });

  it('pays out an awarded grant through the same approvals, within what is committed to it, to the grantee only', async () => {
    const { grantCallId, applicationId } = await world.grantApplication();
    // USD 10 committed to A's application on the grants line (as an executed award would).
    await world.as(world.system(), {
      type: 'ExecuteBudgetChange',
      budgetId: BUDGET,
      opening: null,
      changes: [
        {
          op: 'commitGrant',
          lineId: 'grants',
          grantCallId,
          applicationId,
          recipientOrganizationId: 'org-a',
          amount: 1_000,
        },
      ],
      execution: world.execution('award'),
    });
    const before = await opsLine(world, 'grants');
    const grant = { grantCallId, applicationId };
    const tranche = { lineId: 'grants', description: 'First tranche', spentOn: '2025-04-01', grant };
    const refused: [Record<string, unknown>, string][] = [
      [{ ...tranche, amount: 1_001 }, 'DISBURSEMENT_EXCEEDS_COMMITMENT'],
      [{ ...tranche, amount: 100, payeeName: 'Someone Else Ltd' }, 'DISBURSEMENT_NOT_TO_GRANTEE'],
      [
        { ...tranche, amount: 100, grant: { grantCallId, applicationId: 'nothing-committed' } },
        'GRANT_NOT_COMMITTED',
      ],
    ];
    for (const [body, code] of refused) {
      const response = await world.request('repB', 'POST', `/api/budgets/${BUDGET}/expenses`, body);
      expect(response.statusCode, code).toBe(422);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code).toBe(code);
    }

    const submitted = await world.request('repB', 'POST', `/api/budgets/${BUDGET}/expenses`, {
      ...tranche,
      amount: 600,
    });
    expect(submitted.statusCode).toBe(201);
    const { expenseId } = submitted.json().created as { expenseId: string };
    // The grantee is the payee: it never approves its own disbursement. (Read once the read models have
    // the expense: on a loaded machine they can answer after the command's wait for them.)
    await world.settle();
    const expense = await world.request('repB', 'GET', `/api/budgets/${BUDGET}/expenses/${expenseId}`);
    expect(expense.json()).toMatchObject({ payeeOrganizationId: 'org-a', grant, status: 'submitted' });
    const approved = await world.request(
      'groupMember',
      'POST',
      `/api/budgets/${BUDGET}/expenses/${expenseId}/approve`,
    );
    expect(approved.statusCode).toBe(200);

    // Committed money became spent; the line's free money did not move.
    const after = await opsLine(world, 'grants');
    expect(after).toMatchObject({
      committed: (before?.committed ?? 0) - 600,
      spent: (before?.spent ?? 0) + 600,
      remaining: before?.remaining,
    });
    const call = await world.request('repB', 'GET', `/api/grant-calls/${grantCallId}`);
    const application = (
      call.json().applications as { applicationId: string; disbursed: number; disbursements: unknown[] }[]
    ).find((candidate) => candidate.applicationId === applicationId);
    expect(application).toMatchObject({
      disbursed: 600,
      disbursements: [{ amount: 600, expenseId, proposalId: null }],
    });
    const history = await world.request('repB', 'GET', `/api/budgets/${BUDGET}/lines/grants/history`);
    expect((history.json().changes as Record<string, unknown>[]).at(-1)).toMatchObject({
      change: 'expenseSpent',
      expenseId,
      grantCallId,
      applicationId,
      organizationId: 'org-a',
    });
    // What is left of the commitment is all a second tranche may take.
    const second = await world.request('repB', 'POST', `/api/budgets/${BUDGET}/expenses`, {
      ...tranche,
      amount: 401,
    });
    expect(second.json()).toMatchObject({ code: 'DISBURSEMENT_EXCEEDS_COMMITMENT' });
  });

  it('refuses bad input with a problem and changes nothing', async () => {
    const before = await world.t.store.head();
    const cases: [unknown, number, string][] = [
      [{ lineId: 'ops', amount: 0, description: 'x', spentOn: '2025-03-05' }, 400, 'VALIDATION_FAILED'],
      [{ lineId: 'ops', amount: 1.5, description: 'x', spentOn: '2025-03-05' }, 400, 'VALIDATION_FAILED'],
      [{ lineId: 'ops', amount: 100, description: 'x', spentOn: 'yesterday' }, 400, 'VALIDATION_FAILED'],
      [
        { lineId: 'ops', amount: 100, description: 'x', spentOn: '2025-03-05', extra: 1 },
        400,
        'VALIDATION_FAILED',
      ],
      [
        { lineId: 'nowhere', amount: 100, description: 'x', spentOn: '2025-03-05' },
        404,
        'BUDGET_LINE_NOT_FOUND',
      ],
      // Above the group's policy (USD 1,000): a proposal like any other budget change.
      [
        { lineId: 'ops', amount: 100_001, description: 'x', spentOn: '2025-03-05' },
        422,
        'EXPENSE_NEEDS_PROPOSAL',
      ],
      // The full coalition stewards this line: no group approves expenses on it.
      [
        { lineId: 'shared', amount: 100, description: 'x', spentOn: '2025-03-05' },
        422,
        'EXPENSE_NEEDS_PROPOSAL',
      ],
    ];
    for (const [body, status, code] of cases) {
      const response = await world.request('repA', 'POST', `/api/budgets/${BUDGET}/expenses`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json().code, JSON.stringify(body)).toBe(code);
    }
    const facilitator = await world.request('facilitator', 'POST', `/api/budgets/${BUDGET}/expenses`, {
      lineId: 'ops',
      amount: 100,
      description: 'x',
      spentOn: '2025-03-05',
    });
    expect(facilitator.statusCode).toBe(403);
    expect(await world.t.store.head()).toBe(before);
  });
});

describe.skipIf(!postgresAvailable)('expenses racing for the last money (PostgreSQL)', () => {
  let database: TestDatabase;
  let world: World;
  beforeAll(async () => {
    database = await createTestDatabase('concord_expenses');
    world = await World.create({ database: openPostgres(database.url, 10) });
  }, 120_000);
  afterAll(async () => {
    await world?.close();
    await database?.drop();
  });

  it('100 expenses approved at once: exactly the ones that fit are spent, and the figure is exact', async () => {
    const amounts = Array.from({ length: 100 }, (_, index) => 20_000 + ((index * 7_919) % 80_000));
    const expenseIds: string[] = [];
    for (const amount of amounts) {
      const response = await world.request('repA', 'POST', `/api/budgets/${BUDGET}/expenses`, {
        lineId: 'ops',
        amount,
        description: `Expense of ${amount}`,
        spentOn: '2025-03-05',
      });
      expect(response.statusCode).toBe(201);
      expenseIds.push(response.json().created.expenseId);
    }
    const answers = await Promise.all(
      expenseIds.map((expenseId) =>
        world.request('groupMember', 'POST', `/api/budgets/${BUDGET}/expenses/${expenseId}/approve`),
      ),
    );
    const spent = answers.flatMap((answer, index) =>
      answer.statusCode === 200 ? [amounts[index] as number] : [],
    );
    const refused = answers.flatMap((answer, index) => (answer.statusCode === 200 ? [] : [index]));
    for (const index of refused) {
      expect(answers[index]?.statusCode).toBe(422);
      expect(answers[index]?.json().code).toBe('INSUFFICIENT_FUNDS');
    }
    const total = spent.reduce((sum, amount) => sum + amount, 0);
    expect(spent.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    const line = await opsLine(world);
    expect(line?.spent).toBe(total);
    expect(line?.remaining).toBe(500_000 - total);
    // Money only ever left the line: whatever was refused did not fit even in what is left at the end.
    for (const index of refused) expect(amounts[index]).toBeGreaterThan(500_000 - total);
    const listed = await world.request(
      'repB',
      'GET',
      `/api/budgets/${BUDGET}/expenses?lineId=ops&status=spent`,
    );
    expect(listed.json().expenses).toHaveLength(spent.length);
  }, 180_000);
});
