import { budgetDecider } from './budget/decider.ts';
import { charterDecider } from './charter/decider.ts';
import { aggregateOf, type DomainCommand } from './commands.ts';
import { type Decider, type Decision, fold } from './decider.ts';
import type { DomainEvent } from './events.ts';
import { grantCallDecider } from './grant/decider.ts';
import { historyDecider } from './history/decider.ts';
import { logDecider } from './log/decider.ts';
import { memberDecider } from './member/decider.ts';
import { partnershipDecider } from './partnership/decider.ts';
import { personDecider } from './person/decider.ts';
import { proposalDecider } from './proposal/decider.ts';
import type { AggregateName } from './streams.ts';
import { workingGroupDecider } from './working-group/decider.ts';

/** The decider of each aggregate. */
export const deciders = {
  charter: charterDecider,
  member: memberDecider,
  workingGroup: workingGroupDecider,
  budget: budgetDecider,
  grantCall: grantCallDecider,
  proposal: proposalDecider,
  person: personDecider,
  history: historyDecider,
  log: logDecider,
  partnership: partnershipDecider,
} as const satisfies Record<AggregateName, unknown>;

/**
 * The decider of an aggregate, typed for any command and any event. Commands are routed to their
 * aggregate's streams and each stream holds only its own aggregate's events, so the cast only names that.
 */
export function deciderFor(aggregate: AggregateName): Decider<DomainCommand, DomainEvent, unknown> {
  return deciders[aggregate] as unknown as Decider<DomainCommand, DomainEvent, unknown>;
}

/**
 * Decides any command against the history of the stream it targets (see `streamIdForCommand`):
 * folds the history with the command's decider, then decides.
 */
export function decideOn(command: DomainCommand, history: readonly DomainEvent[]): Decision<DomainEvent> {
  const decider = deciderFor(aggregateOf(command));
  return decider.decide(command, fold(decider, history));
}
