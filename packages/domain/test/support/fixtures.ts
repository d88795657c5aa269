import {
  type Actor,
  type CountedStance,
  type DecisionRules,
  defaultDecisionRules,
  type Execution,
  type Mandate,
  type OutcomeInput,
  systemActor,
} from '../../src/index.ts';
import { addHours } from '../../src/shared/time.ts';

/** A point in time, `hours` after Monday 6 January 2025, 09:00 UTC. */
export function at(hours: number): string {
  return addHours('2025-01-06T09:00:00.000Z', hours);
}

/** A representative of `organizationId`. */
export function rep(organizationId: string, personId = `${organizationId}-person`): Actor {
  return { role: 'representative', personId, organizationId };
}

export const facilitator: Actor = { role: 'facilitator', personId: 'facilitator-1', organizationId: null };
export const auditor: Actor = { role: 'auditor', personId: 'auditor-1', organizationId: null };
export const system: Actor = systemActor('test');

/** The reference to the adopted decision of proposal `proposalId`. */
export function exec(proposalId: string): Execution {
  return { proposalId, decisionEventId: `decided-${proposalId}` };
}

export const rules: DecisionRules = defaultDecisionRules;

export const fastRules: DecisionRules = {
  quorum: { numerator: 2, denominator: 3 },
  minimumFeedbackHours: 72,
  urgentPath: { minimumFeedbackHours: 24 },
  blockFallback: { supermajority: { numerator: 3, denominator: 4 } },
  decideWhenAllHaveSpoken: false,
};

export function mandate(overrides: Partial<Mandate> = {}): Mandate {
  return {
    summary: 'Stewards the grants line',
    budgetLines: [{ budgetId: 'b1', lineId: 'grants' }],
    perDecisionLimit: { maxAmount: { amount: 1_000_000, currency: 'USD' }, maxShareBasisPoints: 500 },
    cumulativeLimit: null,
    expenses: null,
    ...overrides,
  };
}

/**
 * What an outcome is computed from: the first round on the first revision, the window ending at(168),
 * nobody recused and no stance yet, unless `fields` say otherwise.
 */
export function outcomeInput(
  fields: Pick<OutcomeInput, 'rules' | 'memberIds' | 'now'> & Partial<OutcomeInput>,
): OutcomeInput {
  return { recusedIds: [], stances: [], revision: 1, round: 1, feedbackEndsAt: at(168), ...fields };
}

/** The stance of `organizationId` on `revision` of the text, as the outcome counts it. */
export function countedStance(
  organizationId: string,
  stance: CountedStance['stance'],
  revision = 1,
): CountedStance {
  return { organizationId, stance, revision };
}
