import { type Decider, type Decision, validating } from '../decider.ts';
import { type DomainError, domainError } from '../errors.ts';
import { type Actor, requireRole } from '../shared/actor.ts';
import { sameValue } from '../shared/equality.ts';
import { refuseRepeat, withExecuted } from '../shared/execution.ts';
import { type AdmissionBasis, type MemberCommand, memberCommandSchema } from './commands.ts';
import type { MemberEvent } from './events.ts';
import type { MemberProfile } from './profile.ts';

/** A person invited to represent the organization, or who accepted and represents it. */
export interface Representative {
  readonly name: string;
  readonly status: 'invited' | 'active';
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
    };

function requireOwnOrganization(actor: Actor, organizationId: string): DomainError | null {
  return actor.role === 'representative' && actor.organizationId !== organizationId
    ? domainError('NOT_YOUR_ORGANIZATION', { organizationId })
    : null;
}

function decide(command: MemberCommand, state: MemberState): Decision<MemberEvent> {
  const { actor, now: at } = command;
  switch (command.type) {
    case 'AdmitMember': {
      const refused = requireRole(actor, ['system']);
      if (refused) return refused;
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
      const refused = requireRole(actor, ['system']);
      if (refused) return refused;
      const { organizationId, reason, execution } = command;
      const repeated = state.status !== 'unknown' && refuseRepeat(state.executedProposalIds, execution);
      if (repeated) return repeated;
      if (state.status !== 'member') return domainError('NOT_A_MEMBER');
      return [{ type: 'MemberDeparted', data: { organizationId, reason, execution, at } }];
    }
    case 'InviteRepresentative': {
      const refused =
        requireRole(actor, ['facilitator', 'representative']) ??
        requireOwnOrganization(actor, command.organizationId);
      if (refused) return refused;
      if (state.status !== 'member') return domainError('NOT_A_MEMBER');
      if (command.personId in state.representatives) return domainError('ALREADY_A_REPRESENTATIVE');
      const { organizationId, personId, name } = command;
      return [
        {
          type: 'RepresentativeInvited',
          data: { organizationId, personId, name, invitedBy: actor.personId, at },
        },
      ];
    }
    case 'AcceptRepresentation': {
      const refused = requireRole(actor, ['facilitator', 'representative']);
      if (refused) return refused;
      if (state.status !== 'member') return domainError('NOT_A_MEMBER');
      if (state.representatives[actor.personId]?.status !== 'invited') {
        return domainError('INVITATION_NOT_FOUND');
      }
      return [
        {
          type: 'RepresentativeJoined',
          data: { organizationId: command.organizationId, personId: actor.personId, at },
        },
      ];
    }
    case 'RemoveRepresentative': {
      const refused =
        requireRole(actor, ['representative']) ?? requireOwnOrganization(actor, command.organizationId);
      if (refused) return refused;
      if (state.status !== 'member') return domainError('NOT_A_MEMBER');
      if (!(command.personId in state.representatives)) return domainError('REPRESENTATIVE_NOT_FOUND');
      const { organizationId, personId } = command;
      return [
        { type: 'RepresentativeRemoved', data: { organizationId, personId, removedBy: actor.personId, at } },
      ];
    }
    case 'UpdateMemberProfile': {
      const refused =
        requireRole(actor, ['representative']) ?? requireOwnOrganization(actor, command.organizationId);
      if (refused) return refused;
      if (state.status !== 'member') return domainError('NOT_A_MEMBER');
      const { organizationId, profile } = command;
      return [
        { type: 'MemberProfileUpdated', data: { organizationId, profile, updatedBy: actor.personId, at } },
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
      return {
        ...state,
        representatives: {
          ...state.representatives,
          [event.data.personId]: { name: event.data.name, status: 'invited' },
        },
      };
    case 'RepresentativeJoined': {
      const invited = state.representatives[event.data.personId];
      if (!invited) return state;
      return {
        ...state,
        representatives: {
          ...state.representatives,
          [event.data.personId]: { ...invited, status: 'active' },
        },
      };
    }
    case 'RepresentativeRemoved': {
      const { [event.data.personId]: _removed, ...representatives } = state.representatives;
      return { ...state, representatives };
    }
    case 'MemberProfileUpdated':
      return { ...state, profile: event.data.profile };
  }
}

/** The member-organization decider: admission and departure by decision; representatives; profile. */
export const memberDecider: Decider<MemberCommand, MemberEvent, MemberState> = {
  initialState: () => ({ status: 'unknown' }),
  evolve,
  decide: validating(memberCommandSchema, decide),
};
