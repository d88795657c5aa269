import { type Decider, type Decision, validating } from '../decider.ts';
import { type DomainError, domainError } from '../errors.ts';
import { keyNameOf } from '../log/keys.ts';
import type { Actor } from '../shared/actor.ts';
import { sameValue } from '../shared/equality.ts';
import { refuseRepeat, withExecuted } from '../shared/execution.ts';
import { type AdmissionBasis, type MemberCommand, memberCommandSchema } from './commands.ts';
import type { MemberEvent } from './events.ts';
import type { MemberProfile } from './profile.ts';

/**
 * A person invited to represent the organization. They represent it (`active`) once they have accepted
 * and the organization has confirmed them: by one of its own representatives inviting or confirming them,
 * or, for an organization without any, by the founding or a coalition decision naming them.
 */
export interface Representative {
  readonly accepted: boolean;
  readonly confirmed: boolean;
  readonly status: 'invited' | 'awaitingConfirmation' | 'active';
}

function representative(accepted: boolean, confirmed: boolean): Representative {
  const status = accepted && confirmed ? 'active' : accepted ? 'awaitingConfirmation' : 'invited';
  return { accepted, confirmed, status };
}

/** One member organization (stream `member-<organizationId>`). */
export type MemberState =
  | { readonly status: 'unknown' }
  | {
      readonly status: 'member' | 'departed';
      readonly organizationId: string;
      readonly name: string;
      readonly admission: AdmissionBasis;
      readonly representatives: Readonly<Record<string, Representative>>;
      readonly profile: MemberProfile | null;
      readonly executedProposalIds: readonly string[];
      /** The organization's witness keys in force (verifier key texts), in the order registered. */
      readonly witnessKeys?: readonly string[];
    };

type Known = Exclude<MemberState, { status: 'unknown' }>;

/** The people who represent the organization now. */
export function activeRepresentativeIds(state: MemberState): string[] {
  if (state.status !== 'member') return [];
  return Object.entries(state.representatives).flatMap(([personId, { status }]) =>
    status === 'active' ? [personId] : [],
  );
}

function requireOwnOrganization(actor: Actor, organizationId: string): DomainError | null {
  return actor.role === 'representative' && actor.organizationId !== organizationId
    ? domainError('NOT_YOUR_ORGANIZATION', { organizationId })
    : null;
}

/** Refuses anyone but a person who represents this (admitted) organization now. */
function requireActiveRepresentative(actor: Actor, state: MemberState): DomainError | null {
  if (state.status !== 'member') return domainError('NOT_A_MEMBER');
  return actor.role === 'representative' && state.representatives[actor.personId]?.status === 'active'
    ? null
    : domainError('NOT_YOUR_ORGANIZATION', { organizationId: state.organizationId });
}

/**
 * Refuses anyone but a person who represents the organization the command names, now. A representative
 * of another organization is refused as such first, whatever the state of this one.
 */
function requireRepresentativeOf(
  actor: Actor,
  organizationId: string,
  state: MemberState,
): DomainError | null {
  return requireOwnOrganization(actor, organizationId) ?? requireActiveRepresentative(actor, state);
}

/** A witness key of the organization as its events record it: by the name the key carries, and the key. */
function witnessKeyNamed(organizationId: string, witnessKey: string) {
  return { organizationId, keyName: keyNameOf(witnessKey), witnessKey };
}

/** Whether `witnessKey` is one of the (admitted) organization's witness keys in force. */
function inForce(state: MemberState, witnessKey: string): boolean {
  return state.status === 'member' && (state.witnessKeys ?? []).includes(witnessKey);
}

function decide(command: MemberCommand, state: MemberState): Decision<MemberEvent> {
  const { actor, now: at } = command;
  switch (command.type) {
    case 'AdmitMember': {
      const { basis } = command;
      if (state.status !== 'unknown') {
        // A re-run of the step that admitted the organization is recognised as such, not as a conflict.
        if (sameValue(basis, state.admission)) return domainError('DECISION_ALREADY_EXECUTED');
        const repeated =
          basis.type === 'decision' && refuseRepeat(state.executedProposalIds, basis.execution);
        if (repeated) return repeated;
        if (state.status === 'member') return domainError('ALREADY_A_MEMBER');
      }
      return [
        {
          type: 'MemberAdmitted',
          data: { organizationId: command.organizationId, name: command.name, basis, at },
        },
      ];
    }
    case 'RecordMemberDeparture': {
      const { organizationId, reason, execution } = command;
      const repeated = state.status !== 'unknown' && refuseRepeat(state.executedProposalIds, execution);
      if (repeated) return repeated;
      if (state.status !== 'member') return domainError('NOT_A_MEMBER');
      return [{ type: 'MemberDeparted', data: { organizationId, reason, execution, at } }];
    }
    case 'InviteRepresentative': {
      const refused = requireOwnOrganization(actor, command.organizationId);
      if (refused) return refused;
      if (state.status !== 'member') return domainError('NOT_A_MEMBER');
      // A representative invites for their organization only while they represent it.
      if (actor.role === 'representative') {
        const inactive = requireActiveRepresentative(actor, state);
        if (inactive) return inactive;
      }
      if (command.personId in state.representatives) return domainError('ALREADY_A_REPRESENTATIVE');
      const { organizationId, personId, reason } = command;
      const confirmed = actor.role === 'representative';
      return [
        {
          type: 'RepresentativeInvited',
          data: { organizationId, personId, invitedBy: actor.personId, confirmed, reason, at },
        },
      ];
    }
    case 'AcceptRepresentation': {
      if (state.status !== 'member') return domainError('NOT_A_MEMBER');
      if (state.representatives[actor.personId]?.accepted !== false) {
        return domainError('INVITATION_NOT_FOUND');
      }
      return [
        {
          type: 'RepresentativeJoined',
          data: { organizationId: command.organizationId, personId: actor.personId, at },
        },
      ];
    }
    case 'ConfirmRepresentative': {
      const refused = requireRepresentativeOf(actor, command.organizationId, state);
      if (refused) return refused;
      const { organizationId, personId, reason } = command;
      const pending = (state as Known).representatives[personId];
      if (!pending) return domainError('REPRESENTATIVE_NOT_FOUND');
      if (pending.confirmed) return domainError('ALREADY_CONFIRMED');
      return [
        {
          type: 'RepresentativeConfirmed',
          data: { organizationId, personId, confirmedBy: actor.personId, reason, at },
        },
      ];
    }
    case 'AppointRepresentative': {
      const { organizationId, personId, basis } = command;
      if (state.status !== 'member') return domainError('NOT_A_MEMBER');
      // A re-run of the step that named them (the decision may also have admitted the organization, so
      // the decision itself is already remembered here): the person is confirmed already.
      if (state.representatives[personId]?.confirmed) return domainError('DECISION_ALREADY_EXECUTED');
      // The coalition names a representative only where the organization has nobody to decide for itself.
      if (activeRepresentativeIds(state).length > 0) {
        return domainError('ORGANIZATION_IS_REPRESENTED', { organizationId });
      }
      return [{ type: 'RepresentativeAppointed', data: { organizationId, personId, basis, at } }];
    }
    case 'RemoveRepresentative': {
      // The system removes only as the step after a person was forgotten (forgettingCommandsFor): nobody
      // can speak through an erased account, and an organization left without a voice must be able to get
      // one appointed.
      const refused =
        actor.role === 'system'
          ? state.status === 'member'
            ? null
            : domainError('NOT_A_MEMBER')
          : requireRepresentativeOf(actor, command.organizationId, state);
      if (refused) return refused;
      const { organizationId, personId, reason } = command;
      if (!(state as Known).representatives[personId]) return domainError('REPRESENTATIVE_NOT_FOUND');
      return [
        {
          type: 'RepresentativeRemoved',
          data: { organizationId, personId, removedBy: actor.personId, reason, at },
        },
      ];
    }
    case 'UpdateMemberProfile': {
      const refused = requireRepresentativeOf(actor, command.organizationId, state);
      if (refused) return refused;
      const { organizationId, profile, reason } = command;
      return [
        {
          type: 'MemberProfileUpdated',
          data: { organizationId, profile, updatedBy: actor.personId, reason, at },
        },
      ];
    }
    case 'RegisterWitnessKey': {
      const refused = requireRepresentativeOf(actor, command.organizationId, state);
      if (refused) return refused;
      const key = witnessKeyNamed(command.organizationId, command.witnessKey);
      if (inForce(state, key.witnessKey)) {
        return domainError('WITNESS_KEY_ALREADY_REGISTERED', { keyName: key.keyName });
      }
      return [{ type: 'WitnessKeyRegistered', data: { ...key, registeredBy: actor.personId, at } }];
    }
    case 'RevokeWitnessKey': {
      const refused = requireRepresentativeOf(actor, command.organizationId, state);
      if (refused) return refused;
      const key = witnessKeyNamed(command.organizationId, command.witnessKey);
      if (!inForce(state, key.witnessKey)) {
        return domainError('WITNESS_KEY_NOT_FOUND', { keyName: key.keyName });
      }
      return [
        {
          type: 'WitnessKeyRevoked',
          data: { ...key, revokedBy: actor.personId, reason: command.reason, at },
        },
      ];
    }
  }
}

function evolve(state: MemberState, event: MemberEvent): MemberState {
  if (event.type === 'MemberAdmitted') {
    const { organizationId, name, basis } = event.data;
    const previous = state.status === 'unknown' ? null : state;
    return {
      status: 'member',
      organizationId,
      name,
      admission: basis,
      representatives: previous?.representatives ?? {},
      profile: previous?.profile ?? null,
      executedProposalIds: withExecuted(
        previous?.executedProposalIds ?? [],
        basis.type === 'decision' ? basis.execution.proposalId : null,
      ),
    };
  }
  if (state.status === 'unknown') return state;
  switch (event.type) {
    case 'MemberDeparted':
      return {
        ...state,
        status: 'departed',
        representatives: {},
        executedProposalIds: withExecuted(state.executedProposalIds, event.data.execution.proposalId),
      };
    case 'RepresentativeInvited':
      return withRepresentative(state, event.data.personId, representative(false, event.data.confirmed));
    case 'RepresentativeAppointed': {
      const pending = state.representatives[event.data.personId];
      const { basis } = event.data;
      return {
        ...withRepresentative(state, event.data.personId, representative(pending?.accepted ?? false, true)),
        executedProposalIds: withExecuted(
          state.executedProposalIds,
          basis.type === 'decision' ? basis.execution.proposalId : null,
        ),
      };
    }
    case 'RepresentativeJoined':
    case 'RepresentativeConfirmed': {
      const pending = state.representatives[event.data.personId];
      if (!pending) return state;
      return event.type === 'RepresentativeJoined'
        ? withRepresentative(state, event.data.personId, representative(true, pending.confirmed))
        : withRepresentative(state, event.data.personId, representative(pending.accepted, true));
    }
    case 'RepresentativeRemoved': {
      const { [event.data.personId]: _removed, ...representatives } = state.representatives;
      return { ...state, representatives };
    }
    case 'MemberProfileUpdated':
      return { ...state, profile: event.data.profile };
    case 'WitnessKeyRegistered':
      return { ...state, witnessKeys: [...(state.witnessKeys ?? []), event.data.witnessKey] };
    case 'WitnessKeyRevoked':
      return {
        ...state,
        witnessKeys: (state.witnessKeys ?? []).filter((key) => key !== event.data.witnessKey),
      };
  }
}

function withRepresentative(state: Known, personId: string, record: Representative): Known {
  return { ...state, representatives: { ...state.representatives, [personId]: record } };
}

/**
 * The member-organization decider: admission and departure by decision; representatives, whom the
 * organization itself confirms; profile.
 */
export const memberDecider: Decider<MemberCommand, MemberEvent, MemberState> = {
  initialState: () => ({ status: 'unknown' }),
  evolve,
  decide: validating(memberCommandSchema, decide),
};
