import { deciders } from './aggregates.ts';
import type { BudgetState } from './budget/decider.ts';
import type { CharterState } from './charter/decider.ts';
import type { GrantCallState } from './grant/decider.ts';
import type { MemberState } from './member/decider.ts';
import type { PartnershipState } from './partnership/decider.ts';
import type { ProposalState } from './proposal/decider.ts';
import { type AggregateName, streamIdFor } from './streams.ts';
import type { WorkingGroupState } from './working-group/decider.ts';

/**
 * The states of streams held in memory, by stream id: what an in-memory application layer (the domain's
 * test world, the history generator) keeps in place of a store, with the reads that fill a command's
 * context. A stream with no events yet reads as its aggregate's initial state.
 */
export class InMemoryStreamStates {
  readonly states = new Map<string, unknown>();

  /** The state of a stream of the given aggregate. */
  state<S>(streamId: string, aggregate: AggregateName): S {
    return (this.states.get(streamId) ?? deciders[aggregate].initialState()) as S;
  }

  charter(): CharterState {
    return this.state(streamIdFor.charter(), 'charter');
  }

  member(organizationId: string): MemberState {
    return this.state(streamIdFor.member(organizationId), 'member');
  }

  workingGroup(groupId: string): WorkingGroupState {
    return this.state(streamIdFor.workingGroup(groupId), 'workingGroup');
  }

  budget(budgetId: string): BudgetState {
    return this.state(streamIdFor.budget(budgetId), 'budget');
  }

  grantCall(grantCallId: string): GrantCallState {
    return this.state(streamIdFor.grantCall(grantCallId), 'grantCall');
  }

  proposal(proposalId: string): ProposalState {
    return this.state(streamIdFor.proposal(proposalId), 'proposal');
  }

  partnership(partnershipId: string): PartnershipState {
    return this.state(streamIdFor.partnership(partnershipId), 'partnership');
  }
}
