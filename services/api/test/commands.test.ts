import { randomUUID } from 'node:crypto';
import { commandResultSchema, problemSchema } from '@concord/contracts';
import { type BudgetState, streamIdFor } from '@concord/domain';
import { PostgresEventStore } from '@concord/event-store';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.ts';
import { worldForSuite } from './support/suite.ts';
import { allEvents, BUDGET, ORG, testPasswordCost, type World } from './support/world.ts';

describe('commands', () => {
  let world: World;
  // The server's clock: the real time, moved on by tests that wait for a moment to come.
  let ahead = 0;
  worldForSuite({ clock: () => new Date(Date.now() + ahead) }, (created) => {
    world = created;
  });

  it('takes a budget change from draft to execution over HTTP, with metadata on every event', async () => {
    const draft = await world.request(
      'repA',
      'POST',
      '/api/proposals',
      {
        title: 'More for operations',
        body: 'Rent went up.',
        payload: {
          kind: 'budgetChange',
          budgetId: BUDGET,
          opening: null,
          changes: [{ op: 'allocate', lineId: 'shared', delta: 25_000 }],
        },
      },
      { 'x-correlation-id': 'corr-budget-1' },
    );
    expect(draft.statusCode).toBe(201);
    const drafted = commandResultSchema.parse(draft.json());
    const proposalId = drafted.created.proposalId as string;
    expect(drafted.streamId).toBe(streamIdFor.proposal(proposalId));
    expect(draft.headers['x-correlation-id']).toBe('corr-budget-1');

    expect((await world.request('repA', 'POST', `/api/proposals/${proposalId}/opening`, {})).statusCode).toBe(
      200,
    );
    for (const name of ['repA', 'repB', 'recused', 'groupMember'] as const) {
      const stance = await world.request(name, 'POST', `/api/proposals/${proposalId}/stances`, {
        stance: 'consent',
      });
      expect(stance.statusCode, stance.body).toBe(201);
    }
    const decided = await world.request('nonMember', 'POST', `/api/proposals/${proposalId}/decision`);
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json().events[0].type).toBe('ProposalDecided');

    await world.settle();
    const budget = await world.app.facts.budget(BUDGET);
    expect((budget as Extract<BudgetState, { status: 'open' }>).lines.shared?.allocated).toBe(125_000);
    const events = await world.t.store.readStream(streamIdFor.proposal(proposalId));
    expect(events.map((event) => event.type)).toEqual([
      'ProposalDrafted',
      'ProposalOpened',
      'StanceTaken',
      'StanceTaken',
      'StanceTaken',
      'StanceTaken',
      'ProposalDecided',
      'ProposalExecuted',
    ]);
    const first = events[0]!;
    expect(first.metadata).toMatchObject({
      commandId: drafted.commandId,
      correlationId: 'corr-budget-1',
      actor: { personId: world.people.get('repA')!.personId, organizationId: ORG.A, role: 'representative' },
      schemaVersion: 1,
    });
    expect(events[2]!.metadata.schemaVersion).toBe(2);
    const executed = events.at(-1)!;
    expect(executed.metadata.causationId).toBe(events.at(-2)!.id);
    expect(executed.metadata.actor).toMatchObject({ role: 'system', organizationId: null });
  });

  it('executes an adopted decision exactly once, even when the process step restarts from zero', async () => {
    const proposalId = await world.draft('repA', {
      kind: 'budgetChange',
      budgetId: BUDGET,
      opening: null,
      changes: [
        {
          op: 'spend',
          lineId: 'shared',
          amount: 1_000,
          description: 'Interpretation',
          payeeOrganizationId: null,
        },
      ],
    });
    await world.open('repA', proposalId);
    for (const name of ['repA', 'repB', 'recused', 'groupMember'] as const)
      await world.stance(name, proposalId);
    await world.as('repB', { type: 'DecideProposal', proposalId });
    await world.settle();
    const before = await allEvents(world.t.store);
    const spent = before.filter(
      (event) =>
        event.type === 'BudgetLineSpent' &&
        (event.data as { execution: { proposalId: string } }).execution.proposalId === proposalId,
    );
    expect(spent).toHaveLength(1);

    // A second server on the same database whose process step starts again from position 0: it sees
    // every decision again, and appends nothing.
    await world.app.apiDb.updateTable('api.checkpoints').set({ position: 0 }).execute();
    const again = await buildServer({
      store: new PostgresEventStore(world.t.db),
      db: world.t.db,
      logger: false,
      passwordCost: testPasswordCost,
    });
    await again.ready();
    await again.processes.execution.waitFor(await world.t.store.head());
    await again.close();
    const after = await allEvents(world.t.store);
    expect(after.length).toBe(before.length);
  });

  it('answers a retry with the same Idempotency-Key with the first answer and appends nothing', async () => {
    const body = {
      title: 'Once',
      body: 'Only once',
      payload: {
        kind: 'charterChange',
        rules: null,
        sharedValues: ['Once'],
        adoptSops: [],
        retireSopIds: [],
      },
    };
    const key = randomUUID();
    const first = await world.request('repB', 'POST', '/api/proposals', body, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const head = await world.t.store.head();
    const retry = await world.request('repB', 'POST', '/api/proposals', body, { 'idempotency-key': key });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await world.t.store.head()).toBe(head);

    const other = await world.request(
      'repB',
      'POST',
      '/api/proposals',
      { ...body, title: 'Twice' },
      { 'idempotency-key': key },
    );
    expect(other.statusCode).toBe(422);
    expect(problemSchema.parse(other.json()).code).toBe('IDEMPOTENCY_KEY_REUSED');

    // Another person's same key is another request.
    const someoneElse = await world.request('repA', 'POST', '/api/proposals', body, {
      'idempotency-key': key,
    });
    expect(someoneElse.statusCode).toBe(201);
    expect(someoneElse.json().created.proposalId).not.toBe(first.json().created.proposalId);
    expect(await world.t.store.head()).toBeGreaterThan(head);
  });

  it('keeps each key of concurrent requests apart when their records are written together', async () => {
    const proposal = (title: string) => ({
      title,
      body: 'At once',
      payload: { kind: 'charterChange', rules: null, sharedValues: [title], adoptSops: [], retireSopIds: [] },
    });
    const keys = Array.from({ length: 12 }, () => randomUUID());
    const twice = randomUUID();
    const head = await world.t.store.head();
    const answers = await Promise.all([
      ...keys.map((key, i) =>
        world.request('repB', 'POST', '/api/proposals', proposal(`Apart ${i}`), { 'idempotency-key': key }),
      ),
      // One key, two different requests at once: one runs, the other is refused and changes nothing.
      world.request('repA', 'POST', '/api/proposals', proposal('Twice A'), { 'idempotency-key': twice }),
      world.request('repA', 'POST', '/api/proposals', proposal('Twice B'), { 'idempotency-key': twice }),
    ]);
    const own = answers.slice(0, keys.length);
    expect(own.map((answer) => answer.statusCode)).toEqual(keys.map(() => 201));
    const pair = answers.slice(keys.length);
    const ran = pair.filter((answer) => answer.statusCode === 201);
    expect(ran).toHaveLength(1);
    const refused = pair.find((answer) => answer.statusCode !== 201)!;
    expect(['IDEMPOTENCY_KEY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED']).toContain(
      problemSchema.parse(refused.json()).code,
    );
    // 13 proposals, each its own events: nothing of the refused one.
    const created = (await world.t.store.readAll({ after: head, limit: 1000 })).filter(
      (event) => event.type === 'ProposalDrafted',
    );
    expect(created).toHaveLength(keys.length + 1);
    // Every record was answered: each retry gets its own first answer back.
    for (const [i, key] of keys.entries()) {
      const retry = await world.request('repB', 'POST', '/api/proposals', proposal(`Apart ${i}`), {
        'idempotency-key': key,
      });
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(own[i]!.json());
    }
  });

  it("records where a command's time went, step by step, in the metrics", async () => {
    const counts = async () =>
      Object.fromEntries(
        (await world.app.metrics.commandSteps.get()).values
          .filter((value) => value.metricName?.endsWith('_count'))
          .map((value) => [String(value.labels.step), value.value]),
      );
    const before = await counts();
    const answer = await world.request(
      'repB',
      'POST',
      '/api/proposals',
      {
        title: 'Timed',
        body: 'Step by step',
        payload: {
          kind: 'charterChange',
          rules: null,
          sharedValues: ['Timed'],
          adoptSops: [],
          retireSopIds: [],
        },
      },
      { 'idempotency-key': randomUUID() },
    );
    expect(answer.statusCode).toBe(201);
    const after = await counts();
    // One of each for this command; the idempotency row is taken in the session's statement (ADR 0043),
    // and completed once, after.
    for (const step of [
      'session',
      'lock',
      'load',
      'context',
      'decide',
      'append',
      'readModels',
      'idempotency',
    ]) {
      expect(after[step]! - (before[step] ?? 0), step).toBe(1);
    }
  });

  it('takes a key with the session, and gives it back when the request never reaches its handler (ADR 0043)', async () => {
    const proposalId = await world.openBudgetProposal('repA');
    const url = `/api/proposals/${proposalId}/stances`;
    const rows = (key: string) =>
      world.app.apiDb.selectFrom('api.idempotency').selectAll().where('key', '=', key).execute();
    // Refused by its schema, then by its access check: each changes nothing, its key included.
    const key = randomUUID();
    const malformed = await world.request(
      'repB',
      'POST',
      url,
      { stance: 'maybe' },
      { 'idempotency-key': key },
    );
    expect(malformed.statusCode).toBe(400);
    const notAllowed = await world.request(
      'auditor',
      'POST',
      url,
      { stance: 'consent' },
      { 'idempotency-key': key },
    );
    expect(notAllowed.statusCode).toBe(403);
    expect(await rows(key)).toEqual([]);
    // The same key then runs, and its answer is kept with the request's hash.
    const taken = await world.request('repB', 'POST', url, { stance: 'consent' }, { 'idempotency-key': key });
    expect(taken.statusCode, taken.body).toBe(201);
    const [row] = await rows(key);
    expect(row).toMatchObject({ state: 'done', status: 201 });
    expect(row!.request_hash).toMatch(/^[0-9a-f]{64}$/);
    // Another request under that key is still refused; the same one replayed.
    const other = await world.request(
      'repB',
      'POST',
      url,
      { stance: 'block', reason: 'No' },
      { 'idempotency-key': key },
    );
    expect(other.statusCode).toBe(422);
    const again = await world.request('repB', 'POST', url, { stance: 'consent' }, { 'idempotency-key': key });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(taken.json());
  });

  it('replays a refusal too, and recognises a command whose first attempt was lost after its append', async () => {
    const key = randomUUID();
    const refused = await world.request(
      'repA',
      'POST',
      '/api/proposals/nope/stances',
      { stance: 'consent' },
      { 'idempotency-key': key },
    );
    expect(refused.statusCode).toBe(404);
    const again = await world.request(
      'repA',
      'POST',
      '/api/proposals/nope/stances',
      { stance: 'consent' },
      { 'idempotency-key': key },
    );
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual(refused.json());

    // The process died between the append and storing the answer: the stored key is gone, the events are
    // not. The retry derives the same command id, finds it in the stream, and appends nothing.
    const lostKey = randomUUID();
    const body = {
      title: 'Lost',
      body: 'Answer lost',
      payload: { kind: 'charterChange', rules: null, sharedValues: ['y'], adoptSops: [], retireSopIds: [] },
    };
    const first = await world.request('repA', 'POST', '/api/proposals', body, { 'idempotency-key': lostKey });
    await world.app.apiDb.deleteFrom('api.idempotency').where('key', '=', lostKey).execute();
    const head = await world.t.store.head();
    const retry = await world.request('repA', 'POST', '/api/proposals', body, { 'idempotency-key': lostKey });
    expect(retry.statusCode).toBe(201);
    expect(retry.json().created).toEqual(first.json().created);
    expect(retry.json().events).toEqual(first.json().events);
    expect(await world.t.store.head()).toBe(head);
  });

  it('maps domain refusals to catalogue problems a member can read', async () => {
    const proposalId = await world.openBudgetProposal('repA');
    const recused = await world.request('recused', 'POST', `/api/proposals/${proposalId}/stances`, {
      stance: 'consent',
    });
    expect(recused.statusCode).toBe(403);
    expect(recused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(problemSchema.parse(recused.json())).toMatchObject({
      code: 'RECUSED',
      status: 403,
      title:
        'Your organization would receive money from this proposal, so it can comment but takes no stance.',
      type: '/api/problems#RECUSED',
    });
    const noReason = await world.request('repB', 'POST', `/api/proposals/${proposalId}/stances`, {
      stance: 'block',
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().code).toBe('REASON_REQUIRED');
    const facilitator = await world.request('facilitator', 'POST', `/api/proposals/${proposalId}/stances`, {
      stance: 'consent',
    });
    expect(facilitator.json().code).toBe('FACILITATOR_NOT_ALLOWED');
    const auditor = await world.request('auditor', 'POST', '/api/proposals', {
      title: 'x',
      body: 'y',
      payload: {},
    });
    expect(auditor.statusCode).toBe(403);
    expect(auditor.json().code).toBe('AUDITOR_READ_ONLY');
  });

  it('takes a scheduled decision when its time comes', async () => {
    const proposalId = await world.draft('repA');
    await world.open('repA', proposalId);
    for (const name of ['repA', 'repB', 'groupMember', 'nonMember'] as const)
      await world.stance(name, proposalId);
    const soon = new Date(Date.parse(world.now()) + 1_500).toISOString();
    const scheduled = await world.request('facilitator', 'PUT', `/api/proposals/${proposalId}/schedule`, {
      scheduledFor: soon,
    });
    expect(scheduled.statusCode, scheduled.body).toBe(200);
    await world.app.processes.scheduler.sweep();
    expect((await world.t.store.readStream(streamIdFor.proposal(proposalId))).at(-1)?.type).toBe(
      'ProposalDecisionScheduled',
    );
    ahead += 1_600;
    // The scheduler finds open proposals in the read models.
    await world.settle();
    await world.app.processes.scheduler.sweep();
    const events = await world.t.store.readStream(streamIdFor.proposal(proposalId));
    const decided = events.find((event) => event.type === 'ProposalDecided');
    expect(decided?.metadata.actor).toMatchObject({ role: 'system', personId: 'system:decision-scheduler' });
  });
});
