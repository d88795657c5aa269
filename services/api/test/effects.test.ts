import { streamIdFor } from '@concord/domain';
import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, it } from 'vitest';
import { forgedSpending } from './support/forgery.ts';
import { worldForSuite } from './support/suite.ts';
import { BUDGET, ORG, type World } from './support/world.ts';

/** A logger that keeps what was logged at error level (the server's own is silent in tests). */
function recordingLogger(errors: { object: unknown; message: unknown }[]): FastifyBaseLogger {
  const ignore = () => {};
  const logger = {
    level: 'info',
    fatal: ignore,
    warn: ignore,
    info: ignore,
    debug: ignore,
    trace: ignore,
    silent: ignore,
    error: (object: unknown, message?: unknown) => errors.push({ object, message }),
    child: () => logger,
  };
  return logger as unknown as FastifyBaseLogger;
}

describe("decisions' effects, checked by the verification route and beside the projector", () => {
  let world: World;
  const errors: { object: unknown; message: unknown }[] = [];
  worldForSuite({ byDecision: true, logger: recordingLogger(errors) }, (created) => {
    world = created;
  });

  /** Waits until the effect check beside the projector has seen everything appended so far. */
  async function checked() {
    await world.app.effects?.waitFor(await world.t.store.head());
  }

  it('names a forged USD 100,000 budget event citing a real grant award, appended with a valid hash', async () => {
    const { grantCallId, applicationId } = await world.grantApplication();
    await world.as('groupMember', {
      type: 'ReviewGrantApplication',
      grantCallId,
      applicationId,
      recommendation: 'fund',
      assessment: 'Good',
    });
    const proposalId = await world.adopt('groupMember', {
      kind: 'grantAward',
      grantCallId,
      applicationId,
      applicantOrganizationId: ORG.A,
      budgetId: BUDGET,
      lineId: 'grants',
      amount: 1_000,
    });
    const decided = (await world.t.store.readStream(streamIdFor.proposal(proposalId))).find(
      (event) => event.type === 'ProposalDecided',
    )!;
    expect((await world.t.store.readStream(streamIdFor.proposal(proposalId))).at(-1)?.type).toBe(
      'ProposalExecuted',
    );

    const clean = await world.request('auditor', 'GET', '/api/audit/verification');
    expect(clean.statusCode).toBe(200);
    // The world's working group, budget and partnership, and this award: four adopted decisions.
    expect(clean.json()).toMatchObject({
      ok: true,
      effects: { ok: true, decisions: 4, problemCount: 0, firstProblem: null, problems: [] },
    });
    await checked();
    expect((await world.request('repA', 'GET', '/api/status')).json().effects).toMatchObject({
      problemCount: 0,
      firstProblem: null,
    });

    // A database admin appends what the process step would have written, had the award paid 100,000.
    const budgetStream = streamIdFor.budget(BUDGET);
    const forgery = forgedSpending({
      budgetId: BUDGET,
      decisionEventId: decided.id,
      proposalId,
      payeeOrganizationId: ORG.B,
      at: world.now(),
    });
    const forgedId = forgery.id;
    const appended = await world.t.store.append(budgetStream, [forgery], {
      expectedVersion: await world.t.store.streamVersion(budgetStream),
    });
    const firstProblem = {
      kind: 'extra',
      eventId: forgedId,
      position: appended.lastGlobalPosition,
      type: 'BudgetLineSpent',
      streamId: budgetStream,
      decisionEventId: decided.id,
    };

    const forged = await world.request('auditor', 'GET', '/api/audit/verification');
    expect(forged.json()).toMatchObject({
      ok: true, // every hash is right: only recomputing the effects shows the forgery
      effects: { ok: false, problemCount: 1, firstProblem },
    });

    await checked();
    expect((await world.request('repB', 'GET', '/api/status')).json().effects).toMatchObject({
      problemCount: 1,
      firstProblem,
    });
    const counted = await world.app.metrics.effectProblems.get();
    expect(counted.values).toEqual([expect.objectContaining({ labels: { kind: 'extra' }, value: 1 })]);
    expect(errors).toContainEqual({
      object: { effectProblem: expect.objectContaining(firstProblem) },
      message: expect.stringContaining('BudgetLineSpent'),
    });
  });
});
