import {
  type BudgetState,
  type CharterState,
  type FactLoader,
  type GrantCallState,
  type MemberState,
  type PartnershipState,
  streamIdFor,
  type WorkingGroupState,
} from '@concord/domain';
import type { StreamStates } from './streams.ts';

/**
 * The facts other aggregates hold, read from their streams at the moment of deciding: the API's
 * `FactLoader` for the domain's `withContext` (which facts a command needs is the domain's rule). Never
 * from the request: a client cannot supply the facts its own command is judged by.
 */
export class Facts implements FactLoader {
  constructor(private readonly streams: StreamStates) {}

  async charter(): Promise<CharterState> {
    return (await this.streams.load<CharterState>('charter', streamIdFor.charter())).state;
  }

  async member(organizationId: string): Promise<MemberState> {
    return (await this.streams.load<MemberState>('member', streamIdFor.member(organizationId))).state;
  }

  async memberStates(): Promise<MemberState[]> {
    return (await this.streams.loadAll<MemberState>('member', 'member-')).map(({ state }) => state);
  }

  /** Every admitted, not departed member organization's state. */
  async members(): Promise<Extract<MemberState, { status: 'member' | 'departed' }>[]> {
    return (await this.memberStates()).flatMap((state) => (state.status === 'member' ? [state] : []));
  }

  async workingGroup(groupId: string): Promise<WorkingGroupState> {
    return (await this.streams.load<WorkingGroupState>('workingGroup', streamIdFor.workingGroup(groupId)))
      .state;
  }

  async workingGroupStates(): Promise<WorkingGroupState[]> {
    return (await this.streams.loadAll<WorkingGroupState>('workingGroup', 'workinggroup-')).map(
      ({ state }) => state,
    );
  }

  async budget(budgetId: string): Promise<BudgetState> {
    return (await this.streams.load<BudgetState>('budget', streamIdFor.budget(budgetId))).state;
  }

  async grantCall(grantCallId: string): Promise<GrantCallState> {
    return (await this.streams.load<GrantCallState>('grantCall', streamIdFor.grantCall(grantCallId))).state;
  }

  /** The partnerships where a person takes part (joined), with the partner organization they act for. */
  async partnershipsOfContact(
    personId: string,
  ): Promise<{ partnershipId: string; organizationId: string }[]> {
    const states = await this.streams.loadAll<PartnershipState>('partnership', 'partnership-');
    return states.flatMap(({ state }) => {
      const contact = state.status === 'active' ? state.contacts[personId] : undefined;
      return state.status === 'active' && contact?.joined
        ? [{ partnershipId: state.partnershipId, organizationId: contact.organizationId }]
        : [];
    });
  }

  async partnership(partnershipId: string): Promise<PartnershipState> {
    return (await this.streams.load<PartnershipState>('partnership', streamIdFor.partnership(partnershipId)))
      .state;
  }
}
