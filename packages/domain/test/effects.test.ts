import { describe, expect, it } from 'vitest';
import {
  checkEffects,
  type EffectProblem,
  initialEffectCheck,
  type StoredHistoryEvent,
  systemActor,
  verifyEffects,
} from '../src/index.ts';
import { budgetChange, spendOnInterpreters } from './support/coalition.ts';
import { awardedGrant, story } from './support/grant-round.ts';
import { decideAfter, propose, stances } from './support/story.ts';
import type { StoredEvent } from './support/world.ts';

const asStored = ({ id, streamId, position, event, metadata }: StoredEvent): StoredHistoryEvent => ({
  id,
  type: event.type,
  streamId,
  position,
  data: event.data,
  metadata,
});

function history() {
  const world = awardedGrant();
  const events = world.log.map(asStored);
  const decision = events.findLast((event) => event.type === 'ProposalDecided') as StoredHistoryEvent;
  return { events, decision };
}

/** What a database admin could append: a plausible effect, with the process step's own metadata. */
function forgedSpend(decision: StoredHistoryEvent, position: number): StoredHistoryEvent {
  const { proposalId } = decision.data as { proposalId: string };
  return {
    id: 'forged-1',
    type: 'BudgetLineSpent',
    streamId: 'budget-b1',
    position,
    data: {
      budgetId: 'b1',
      lineId: 'grants',
      amount: 10_000_000,
      description: 'Consultancy',
      payeeOrganizationId: 'rlo-9',
      execution: { proposalId, decisionEventId: decision.id },
      decidedByGroupId: null,
      at: (decision.data as { at: string }).at,
    },
    metadata: {
      actor: systemActor('decision-execution'),
      commandId: 'cmd-forged',
      commandType: 'ExecuteBudgetChange',
      causationId: decision.id,
    },
  };
}

/**
 * The report on the process steps' history with a forged spend appended after it, as `alter` leaves it:
 * the forgery is the same in every case, only what the forger tried in order to pass it differs.
 */
function withForgedSpend(alter: (forged: StoredHistoryEvent) => StoredHistoryEvent = (forged) => forged) {
  const { events, decision } = history();
  const forged = forgedSpend(decision, events.length + 1);
  return { report: verifyEffects([...events, alter(forged)]), forged, decision };
}

describe('effects checked against decisions', () => {
  it('finds nothing wrong in a history the process steps wrote', () => {
    const { events } = history();
    const report = verifyEffects(events);
    expect(report).toMatchObject({ ok: true, problemCount: 0, firstProblem: null });
    expect(report.decisions).toBe(3);
    expect(report.effects).toBeGreaterThanOrEqual(9);
  });

  it('names a forged budget event citing a real grant award as extra, at its position', () => {
    const { report, forged, decision } = withForgedSpend();
    expect(report.ok).toBe(false);
    expect(report.firstProblem).toMatchObject({
      kind: 'extra',
      position: forged.position,
      eventId: 'forged-1',
      type: 'BudgetLineSpent',
      decisionEventId: decision.id,
    });
  });

  it('names a forged effect even when its metadata claims a person wrote it', () => {
    const { report } = withForgedSpend((forged) => ({
      ...forged,
      metadata: { actor: { role: 'facilitator', personId: 'f', organizationId: null } },
    }));
    expect(report.firstProblem).toMatchObject({ kind: 'extra', eventId: 'forged-1' });
  });

  it('names a forged effect that does not even fit its stream, without stopping', () => {
    const { report } = withForgedSpend((forged) => ({
      ...forged,
      data: { ...(forged.data as object), lineId: 'no-such-line' },
    }));
    expect(report.firstProblem).toMatchObject({ kind: 'extra', eventId: 'forged-1' });
  });

  it('names a system event that cites no adopted decision', () => {
    const { report } = withForgedSpend((forged) => {
      const { execution: _execution, ...data } = forged.data as Record<string, unknown>;
      return { ...forged, data, metadata: { ...forged.metadata, causationId: 'nothing' } };
    });
    expect(report.firstProblem).toMatchObject({
      kind: 'extra',
      eventId: 'forged-1',
      reason: expect.stringContaining('no adopted decision'),
    });
  });

  it('names an effect whose amount was altered', () => {
    const { events } = history();
    const index = events.findLastIndex((event) => event.type === 'GrantFundsCommitted');
    const original = events[index] as StoredHistoryEvent;
    const altered = { ...original, data: { ...(original.data as object), amount: 10_000_000 } };
    const report = verifyEffects(events.with(index, altered));
    expect(report.firstProblem).toMatchObject({
      kind: 'altered',
      eventId: original.id,
      position: original.position,
      type: 'GrantFundsCommitted',
    });
    expect(report.problemCount).toBe(1);
  });

  it('names an effect the decision required but its run ended without', () => {
    const { events } = history();
    const awarded = events.findLast((event) => event.type === 'GrantAwarded') as StoredHistoryEvent;
    const executed = events.findLast((event) => event.type === 'ProposalExecuted') as StoredHistoryEvent;
    const report = verifyEffects(events.filter((event) => event !== awarded));
    expect(report.firstProblem).toMatchObject({
      kind: 'missing',
      type: 'GrantAwarded',
      eventId: executed.id,
      position: executed.position,
    });
  });

  it('judges a failed run on the money there was when it failed, not on the money there is now', () => {
    // Two spends fit the translation line (USD 5,000) alone but not together: the second fails when it
    // runs. A later decision adds money; the failed spend would fit now, and was still rightly refused.
    const world = story();
    propose(world, 'spend-1', spendOnInterpreters(400_000));
    propose(world, 'spend-2', spendOnInterpreters(300_000));
    for (const id of ['spend-1', 'spend-2']) stances(world, id, ['o1', 'o2', 'o4']); // o3: a partner, recused
    decideAfter(world, 'spend-1', 169);
    expect(decideAfter(world, 'spend-2', 1).map((event) => event.type)).toContain('ProposalExecutionFailed');
    propose(world, 'more', budgetChange([{ op: 'allocate', lineId: 'translation', delta: 1_000_000 }]));
    stances(world, 'more', ['o1', 'o2', 'o4']);
    expect(decideAfter(world, 'more', 169).map((event) => event.type)).toContain('ProposalExecuted');
    expect(verifyEffects(world.log.map(asStored))).toMatchObject({ ok: true, problemCount: 0 });
  });

  it('names an event missing from the middle of what a command wrote', () => {
    const { events } = history();
    const lines = events.filter((event) => event.type === 'BudgetLineCreated');
    expect(lines).toHaveLength(2);
    const [first, second] = lines as [StoredHistoryEvent, StoredHistoryEvent];
    const report = verifyEffects(events.filter((event) => event !== second));
    expect(report.firstProblem).toMatchObject({
      kind: 'missing',
      type: 'BudgetLineCreated',
      eventId: first.id,
    });
  });

  it('reports each problem as the event that shows it is fed in', () => {
    const { events, decision } = history();
    const check = initialEffectCheck();
    const found: EffectProblem[][] = events.map((event) => checkEffects(check, event));
    expect(found.flat()).toEqual([]);
    const forged = forgedSpend(decision, events.length + 1);
    expect(checkEffects(check, forged)).toEqual([expect.objectContaining({ eventId: 'forged-1' })]);
  });
});
