import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BudgetEvent,
  type BudgetState,
  budgetEffectOf,
  type CountedStance,
  computeOutcome,
  type Decider,
  type DomainEvent,
  deciders,
  domainEventSchema,
  eventSchemaVersions,
  fold,
  type OutcomeInput,
  type ProposalState,
  proposalDecider,
  type Stance,
  upcast,
} from '../src/index.ts';
import { at } from './support/fixtures.ts';
import { rulesArb, run, scenario } from './support/random-coalition.ts';
import type { StoredEvent, World } from './support/world.ts';

// ---------------------------------------------------------------------------------------------------------
// Independent readings of the log, used by the properties.

const lineEventTypes = new Set([
  'BudgetLineCreated',
  'BudgetLineAllocationChanged',
  'BudgetLineSpent',
  'GrantFundsCommitted',
  'GrantFundsDisbursed',
]);
const opOf: Record<string, string> = {
  BudgetLineCreated: 'createLine',
  BudgetLineAllocationChanged: 'allocate',
  BudgetLineSpent: 'spend',
  GrantFundsCommitted: 'commitGrant',
  GrantFundsDisbursed: 'disburseGrant',
};

function proposalBefore(world: World, stored: StoredEvent): ProposalState {
  const history = (world.streams.get(stored.streamId) ?? []).filter(
    (other) => other.position < stored.position,
  );
  return fold(
    proposalDecider,
    history.map(
      (other) => other.event as Extract<DomainEvent, { type: `Proposal${string}` | 'StanceTaken' }>,
    ),
  );
}

function lastStances(state: Extract<ProposalState, { proposalId: string }>) {
  const recused = new Set(state.opened?.recusals.map((recusal) => recusal.organizationId));
  const eligible = new Set(state.opened?.memberIds.filter((id) => !recused.has(id)));
  return {
    eligible,
    stances: Object.values(state.stances).filter((stance) => eligible.has(stance.organizationId)),
  };
}

const settings = { numRuns: 100, endOnFailure: true } as const;

describe('properties of any sequence of valid and invalid commands', () => {
  it('every change to a line amount traces to the execution of an adopted proposal, once', () => {
    fc.assert(
      fc.property(scenario, ([rules, steps]) => {
        const world = run(rules, steps);
        const perProposal = new Map<string, number>();
        for (const stored of world.log) {
          if (!lineEventTypes.has(stored.event.type) && stored.event.type !== 'BudgetOpened') continue;
          const data = (stored.event as BudgetEvent).data as {
            execution: { proposalId: string; decisionEventId: string };
          } & Record<string, unknown>;
          const decision = world.log.find((other) => other.id === data.execution.decisionEventId);
          expect(decision?.event.type).toBe('ProposalDecided');
          if (decision?.event.type !== 'ProposalDecided') return;
          expect(decision.position).toBeLessThan(stored.position);
          expect(decision.event.data).toMatchObject({
            outcome: 'adopted',
            proposalId: data.execution.proposalId,
          });
          const effect = budgetEffectOf(decision.event.data.payload);
          expect(effect?.budgetId).toBe(data.budgetId);
          if (stored.event.type === 'BudgetOpened') continue;
          const { budgetId: _b, execution: _e, at: _a, decidedByGroupId, ...fields } = data;
          expect(effect?.changes).toContainEqual({ op: opOf[stored.event.type], ...fields });
          const body = decision.event.data.decidingBody;
          expect(decidedByGroupId).toBe(body.type === 'workingGroup' ? body.groupId : null);
          perProposal.set(data.execution.proposalId, (perProposal.get(data.execution.proposalId) ?? 0) + 1);
        }
        for (const [id, count] of perProposal) {
          const decided = world.log.find(
            (stored) => stored.event.type === 'ProposalDecided' && stored.event.data.proposalId === id,
          );
          const effect =
            decided?.event.type === 'ProposalDecided' ? budgetEffectOf(decided.event.data.payload) : null;
          expect(count).toBe(effect?.changes.length);
        }
        const budget = world.budget('b1') as Extract<BudgetState, { status: 'open' }>;
        for (const line of Object.values(budget.lines)) {
          expect(line.committed).toBeGreaterThanOrEqual(0);
          expect(line.spent).toBeGreaterThanOrEqual(0);
          expect(line.committed + line.spent).toBeLessThanOrEqual(line.allocated);
          expect(Number.isInteger(line.allocated + line.committed + line.spent)).toBe(true);
        }
      }),
      settings,
    );
  });

  it('a proposal with a standing block is adopted only through the charter fallback', () => {
    let blockedDecisions = 0;
    fc.assert(
      fc.property(scenario, ([rules, steps]) => {
        const world = run(rules, steps);
        for (const stored of world.log) {
          if (stored.event.type !== 'ProposalDecided') continue;
          const before = proposalBefore(world, stored);
          if (before.status === 'none') throw new Error('decided a proposal that does not exist');
          const blocks = lastStances(before).stances.filter((stance) => stance.stance === 'block').length;
          if (blocks === 0) continue;
          blockedDecisions += 1;
          if (stored.event.data.outcome === 'adopted') {
            expect(stored.event.data.reason).toBe('fallbackSupermajority');
            expect(before.opened?.rules.blockFallback).not.toBeNull();
            expect(before.round).toBe(2);
          }
        }
      }),
      settings,
    );
    expect(blockedDecisions).toBeGreaterThan(0);
  });

  it('quorum and outcome never count a recused or non-member organization, nor two stances of one', () => {
    let decisions = 0;
    fc.assert(
      fc.property(scenario, ([rules, steps]) => {
        const world = run(rules, steps);
        for (const stored of world.log) {
          if (stored.event.type === 'StanceTaken') {
            const before = proposalBefore(world, stored);
            if (before.status === 'none') throw new Error('stance on a proposal that does not exist');
            expect(lastStances(before).eligible.has(stored.event.data.organizationId)).toBe(true);
          }
          if (stored.event.type !== 'ProposalDecided') continue;
          decisions += 1;
          const before = proposalBefore(world, stored);
          if (before.status === 'none') throw new Error('decided a proposal that does not exist');
          const { eligible, stances: current } = lastStances(before);
          const counted = current.filter((stance) => stance.revision === before.revision).length;
          const { tally } = stored.event.data;
          expect(tally.eligible).toBe(eligible.size);
          expect(tally.counted).toBe(counted);
          expect(tally.counted).toBeGreaterThanOrEqual(tally.quorumRequired);
          expect(tally.consent + tally.concerns + tally.standAside + tally.needsReview).toBeLessThanOrEqual(
            eligible.size,
          );
        }
      }),
      settings,
    );
    expect(decisions).toBeGreaterThan(0);
  });

  it('folding the events again, after a trip through storage, gives the same state', () => {
    fc.assert(
      fc.property(scenario, ([rules, steps]) => {
        const world = run(rules, steps);
        for (const [streamId, stream] of world.streams) {
          const decider = deciders[world.aggregateOf(streamId)] as unknown as Decider<
            never,
            DomainEvent,
            unknown
          >;
          const events = stream.map((stored) => stored.event);
          expect(fold(decider, events)).toEqual(world.states.get(streamId));
          const stored = events.map((event) => JSON.parse(JSON.stringify(event)) as DomainEvent);
          const read = stored.map((event) => upcast(event.type, eventSchemaVersions[event.type], event.data));
          expect(fold(decider, read)).toEqual(world.states.get(streamId));
          for (const event of events) expect(domainEventSchema.safeParse(event).success).toBe(true);
        }
      }),
      settings,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// The outcome function on its own, over arbitrary inputs.

const outcomeOrgs = ['a', 'b', 'c', 'd', 'e', 'f', 'x', 'y'];
const countedStance: fc.Arbitrary<CountedStance> = fc.record({
  organizationId: fc.constantFrom(...outcomeOrgs),
  stance: fc.constantFrom<Stance>('consent', 'concerns', 'standAside', 'block'),
  revision: fc.integer({ min: 1, max: 2 }),
});
const outcomeInput: fc.Arbitrary<OutcomeInput> = fc.record({
  rules: rulesArb,
  memberIds: fc.subarray(['a', 'b', 'c', 'd', 'e', 'f']),
  recusedIds: fc.subarray(['a', 'b', 'x']),
  stances: fc.array(countedStance, { maxLength: 12 }),
  revision: fc.integer({ min: 1, max: 2 }),
  round: fc.constantFrom(1 as const, 2 as const),
  feedbackEndsAt: fc.constant(at(24)),
  now: fc.integer({ min: 0, max: 48 }).map(at),
});

describe('computeOutcome over any input', () => {
  it('ignores stances of recused and non-member organizations and all but the last stance of each', () => {
    fc.assert(
      fc.property(outcomeInput, fc.array(countedStance, { maxLength: 6 }), fc.nat(), (input, noise, seed) => {
        const outcome = computeOutcome(input);
        const eligible = new Set(input.memberIds.filter((id) => !input.recusedIds.includes(id)));
        const ineligibleNoise = noise.filter((stance) => !eligible.has(stance.organizationId));
        const noisy = [...input.stances];
        for (const [index, stance] of ineligibleNoise.entries()) {
          noisy.splice((seed + index) % (noisy.length + 1), 0, stance);
        }
        expect(computeOutcome({ ...input, stances: noisy })).toEqual(outcome);

        // Stances an organization gave before its later ones change nothing.
        const speakers = input.stances.map((stance) => stance.organizationId);
        const earlier = noise.flatMap((stance, index) =>
          speakers.length ? [{ ...stance, organizationId: speakers[index % speakers.length] as string }] : [],
        );
        expect(computeOutcome({ ...input, stances: [...earlier, ...input.stances] })).toEqual(outcome);

        const last = new Map(
          input.stances
            .filter((stance) => eligible.has(stance.organizationId))
            .map((stance) => [stance.organizationId, stance]),
        );
        const current = [...last.values()].filter((stance) => stance.revision === input.revision).length;
        expect(outcome.tally.counted).toBe(current);
        expect(outcome.tally.eligible).toBe(eligible.size);
      }),
      { numRuns: 300 },
    );
  });

  it('never adopts over a standing block except by the fallback in a second round', () => {
    fc.assert(
      fc.property(outcomeInput, (input) => {
        const outcome = computeOutcome(input);
        const eligible = new Set(input.memberIds.filter((id) => !input.recusedIds.includes(id)));
        const last = new Map(
          input.stances
            .filter((stance) => eligible.has(stance.organizationId))
            .map((stance) => [stance.organizationId, stance]),
        );
        const blocked = [...last.values()].some((stance) => stance.stance === 'block');
        if (blocked && outcome.status === 'adopted') {
          expect(outcome.reason).toBe('fallbackSupermajority');
          expect(input.rules.blockFallback).not.toBeNull();
          expect(input.round).toBe(2);
        }
        if (outcome.status !== 'open') {
          expect(outcome.tally.counted).toBeGreaterThanOrEqual(outcome.tally.quorumRequired);
          // Before the window ends only when the charter allows it and every eligible organization spoke.
          if (input.now < input.feedbackEndsAt) {
            expect(input.rules.decideWhenAllHaveSpoken).toBe(true);
            expect(outcome).toMatchObject({ status: 'adopted', reason: 'everyoneHasSpoken' });
            expect(outcome.tally.counted).toBe(outcome.tally.eligible);
            expect(blocked).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
