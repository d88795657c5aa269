import { type Decider, type Decision, validating } from '../decider.ts';
import { type DomainError, domainError } from '../errors.ts';
import { refuseRepeat, withExecuted } from '../shared/execution.ts';
import { type WorkingGroupCommand, workingGroupCommandSchema } from './commands.ts';
import type { WorkingGroupEvent } from './events.ts';
import type { Mandate } from './mandate.ts';

/** A member organization's place in a group. */
export interface GroupMembership {
  readonly hoursPerMonth: number;
}

/** A working group (stream `workinggroup-<groupId>`). */
export type WorkingGroupState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active' | 'dissolved';
      readonly groupId: string;
      readonly name: string;
      readonly purpose: string;
      readonly mandate: Mandate;
      readonly members: Readonly<Record<string, GroupMembership>>;
      readonly leadOrganizationIds: readonly string[];
      readonly executedProposalIds: readonly string[];
    };

type ExistingGroup = Exclude<WorkingGroupState, { status: 'none' }>;

function requireActive(state: WorkingGroupState): DomainError | null {
  if (state.status === 'none') return domainError('WORKING_GROUP_NOT_FOUND');
  if (state.status === 'dissolved') return domainError('WORKING_GROUP_DISSOLVED');
  return null;
}

function decide(command: WorkingGroupCommand, state: WorkingGroupState): Decision<WorkingGroupEvent> {
  const { actor, now: at } = command;
  if (command.type === 'CreateWorkingGroup') {
    const { groupId, name, purpose, mandate, execution } = command;
    const repeated = state.status !== 'none' && refuseRepeat(state.executedProposalIds, execution);
    if (repeated) return repeated;
    if (state.status !== 'none') return domainError('WORKING_GROUP_EXISTS', { groupId });
    return [{ type: 'WorkingGroupCreated', data: { groupId, name, purpose, mandate, execution, at } }];
  }
  const systemStep =
    command.type === 'SetWorkingGroupMandate' ||
    command.type === 'SetWorkingGroupLeads' ||
    command.type === 'DissolveWorkingGroup';
  const repeated =
    systemStep && state.status !== 'none' ? refuseRepeat(state.executedProposalIds, command.execution) : null;
  const refused = repeated ?? requireActive(state);
  if (refused) return refused;
  const group = state as ExistingGroup;
  const { groupId } = command;

  switch (command.type) {
    case 'SetWorkingGroupMandate': {
      const { mandate, execution } = command;
      return [{ type: 'WorkingGroupMandateSet', data: { groupId, mandate, execution, at } }];
    }
    case 'SetWorkingGroupLeads': {
      const { leadOrganizationIds, execution } = command;
      const outsider = leadOrganizationIds.find((id) => !(id in group.members));
      if (outsider !== undefined) return domainError('NOT_IN_WORKING_GROUP', { organizationId: outsider });
      return [{ type: 'WorkingGroupLeadsSet', data: { groupId, leadOrganizationIds, execution, at } }];
    }
    case 'DissolveWorkingGroup':
      return [{ type: 'WorkingGroupDissolved', data: { groupId, execution: command.execution, at } }];
  }

  // Only representatives reach here: they act for their own organization.
  const organizationId = actor.organizationId as string;
  const personId = actor.personId;
  const { reason } = command;
  const inGroup = organizationId in group.members;
  switch (command.type) {
    case 'JoinWorkingGroup':
      if (inGroup) return domainError('ALREADY_IN_WORKING_GROUP');
      return [
        {
          type: 'WorkingGroupJoined',
          data: { groupId, organizationId, personId, hoursPerMonth: command.hoursPerMonth, reason, at },
        },
      ];
    case 'LeaveWorkingGroup':
      if (!inGroup) return domainError('NOT_IN_WORKING_GROUP', { organizationId });
      return [{ type: 'WorkingGroupLeft', data: { groupId, organizationId, personId, reason, at } }];
    case 'CommitTime':
      if (!inGroup) return domainError('NOT_IN_WORKING_GROUP', { organizationId });
      return [
        {
          type: 'TimeCommitted',
          data: { groupId, organizationId, personId, hoursPerMonth: command.hoursPerMonth, reason, at },
        },
      ];
  }
}

function evolve(state: WorkingGroupState, event: WorkingGroupEvent): WorkingGroupState {
  if (event.type === 'WorkingGroupCreated') {
    const { groupId, name, purpose, mandate, execution } = event.data;
    return {
      status: 'active',
      groupId,
      name,
      purpose,
      mandate,
      members: {},
      leadOrganizationIds: [],
      executedProposalIds: [execution.proposalId],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'WorkingGroupMandateSet':
      return {
        ...state,
        mandate: event.data.mandate,
        executedProposalIds: withExecuted(state.executedProposalIds, event.data.execution.proposalId),
      };
    case 'WorkingGroupLeadsSet':
      return {
        ...state,
        leadOrganizationIds: event.data.leadOrganizationIds,
        executedProposalIds: withExecuted(state.executedProposalIds, event.data.execution.proposalId),
      };
    case 'WorkingGroupDissolved':
      return {
        ...state,
        status: 'dissolved',
        executedProposalIds: withExecuted(state.executedProposalIds, event.data.execution.proposalId),
      };
    case 'WorkingGroupJoined':
    case 'TimeCommitted':
      return {
        ...state,
        members: {
          ...state.members,
          [event.data.organizationId]: { hoursPerMonth: event.data.hoursPerMonth },
        },
      };
    case 'WorkingGroupLeft': {
      const { [event.data.organizationId]: _left, ...members } = state.members;
      return {
        ...state,
        members,
        leadOrganizationIds: state.leadOrganizationIds.filter((id) => id !== event.data.organizationId),
      };
    }
  }
}

/** The working-group decider: created, mandated, led and dissolved by decision; joined and left by members. */
export const workingGroupDecider: Decider<WorkingGroupCommand, WorkingGroupEvent, WorkingGroupState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide: validating(workingGroupCommandSchema, decide),
};
