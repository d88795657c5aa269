import type { AggregateName } from '@concord/domain';
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

/** The streams facts were taken from, by id, at the version each was read at. */
export type FactsRead = Map<string, number>;

/**
 * The facts other aggregates hold, read from their streams at the moment of deciding: the API's
 * `FactLoader` for the domain's `withContext` (which facts a command needs is the domain's rule). Never
 * from the request: a client cannot supply the facts its own command is judged by.
 */
export class Facts implements FactLoader {
  constructor(
    private readonly streams: StreamStates,
    private readonly read?: FactsRead,
    private readonly kept = false,
  ) {}

  /**
   * The same facts for a decision whose append checks them (ADR 0043): with `kept`, a state this process
   * keeps is taken as it is, without asking the store for its stream's version; every stream a fact of one
   * stream came from is recorded in `read` at its version, for the append to check it is still there.
   * Facts over all streams of a kind (`members()` …) are read as always and not recorded.
   */
  recorded(read: FactsRead, kept = true): Facts {
    return new Facts(this.streams, read, kept);
  }

  async #state<State>(aggregate: AggregateName, streamId: string): Promise<State> {
    const loaded =
      (this.kept && this.streams.kept<State>(streamId)) ||
      (await this.streams.load<State>(aggregate, streamId));
    this.read?.set(streamId, loaded.version);
    return loaded.state;
  }

  charter(): Promise<CharterState> {
    return this.#state('charter', streamIdFor.charter());
  }

  member(organizationId: string): Promise<MemberState> {
    return this.#state('member', streamIdFor.member(organizationId));
  }

  async memberStates(): Promise<MemberState[]> {
    return (await this.streams.loadAll<MemberState>('member', 'member-')).map(({ state }) => state);
  }

  /** Every admitted, not departed member organization's state. */
  async members(): Promise<Extract<MemberState, { status: 'member' | 'departed' }>[]> {
    return (await this.memberStates()).flatMap((state) => (state.status === 'member' ? [state] : []));
  }

  workingGroup(groupId: string): Promise<WorkingGroupState> {
    return this.#state('workingGroup', streamIdFor.workingGroup(groupId));
  }

  async workingGroupStates(): Promise<WorkingGroupState[]> {
    return (await this.streams.loadAll<WorkingGroupState>('workingGroup', 'workinggroup-')).map(
      ({ state }) => state,
    );
  }

  budget(budgetId: string): Promise<BudgetState> {
    return this.#state('budget', streamIdFor.budget(budgetId));
  }

  grantCall(grantCallId: string): Promise<GrantCallState> {
    return this.#state('grantCall', streamIdFor.grantCall(grantCallId));
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

  partnership(partnershipId: string): Promise<PartnershipState> {
    return this.#state('partnership', streamIdFor.partnership(partnershipId));
  }
}
