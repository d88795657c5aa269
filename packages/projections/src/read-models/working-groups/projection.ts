import { iso, type View } from '../view.ts';
import {
  type WorkingGroupMemberRow,
  type WorkingGroupRow,
  workingGroupMembers,
  workingGroups,
} from './table.ts';

/** Working groups: mandate, member organizations with the time they commit, leads, status. */
export const workingGroupsView: View = {
  name: 'workingGroups',
  types: [
    'WorkingGroupCreated',
    'WorkingGroupMandateSet',
    'WorkingGroupLeadsSet',
    'WorkingGroupDissolved',
    'WorkingGroupJoined',
    'WorkingGroupLeft',
    'TimeCommitted',
  ],
  needs({ event }, uow) {
    switch (event.type) {
      case 'WorkingGroupMandateSet':
      case 'WorkingGroupLeadsSet':
      case 'WorkingGroupDissolved':
        uow.want(workingGroups, event.data.groupId);
        break;
      case 'WorkingGroupLeft':
        uow.want(workingGroups, event.data.groupId);
        break;
      case 'TimeCommitted':
        uow.want(workingGroupMembers, event.data.groupId, event.data.organizationId);
        break;
    }
  },
  apply({ event }, { uow, change }) {
    switch (event.type) {
      case 'WorkingGroupCreated': {
        const { groupId, name, purpose, mandate, execution } = event.data;
        const at = iso(event.data.at);
        uow.put<WorkingGroupRow>(workingGroups, {
          group_id: groupId,
          name,
          purpose,
          status: 'active',
          mandate,
          lead_organization_ids: [],
          created_by_proposal_id: execution.proposalId,
          mandate_proposal_id: execution.proposalId,
          created_at: at,
          dissolved_at: null,
          updated_at: at,
        });
        break;
      }
      case 'WorkingGroupMandateSet':
      case 'WorkingGroupLeadsSet':
      case 'WorkingGroupDissolved': {
        const group = uow.get<WorkingGroupRow>(workingGroups, event.data.groupId);
        if (!group) return;
        const at = iso(event.data.at);
        const next: WorkingGroupRow = { ...group, updated_at: at };
        if (event.type === 'WorkingGroupMandateSet') {
          next.mandate = event.data.mandate;
          next.mandate_proposal_id = event.data.execution.proposalId;
        } else if (event.type === 'WorkingGroupLeadsSet') {
          next.lead_organization_ids = event.data.leadOrganizationIds;
        } else {
          next.status = 'dissolved';
          next.dissolved_at = at;
        }
        uow.put(workingGroups, next);
        break;
      }
      case 'WorkingGroupJoined': {
        const { groupId, organizationId, personId, hoursPerMonth } = event.data;
        const at = iso(event.data.at);
        uow.put<WorkingGroupMemberRow>(workingGroupMembers, {
          group_id: groupId,
          organization_id: organizationId,
          hours_per_month: hoursPerMonth,
          joined_at: at,
          joined_by_person_id: personId,
          updated_at: at,
        });
        change({ view: 'member', id: organizationId });
        break;
      }
      case 'TimeCommitted': {
        const { groupId, organizationId, hoursPerMonth } = event.data;
        const membership = uow.get<WorkingGroupMemberRow>(workingGroupMembers, groupId, organizationId);
        if (!membership) return;
        uow.put<WorkingGroupMemberRow>(workingGroupMembers, {
          ...membership,
          hours_per_month: hoursPerMonth,
          updated_at: iso(event.data.at),
        });
        change({ view: 'member', id: organizationId });
        break;
      }
      case 'WorkingGroupLeft': {
        const { groupId, organizationId } = event.data;
        uow.remove(workingGroupMembers, groupId, organizationId);
        const group = uow.get<WorkingGroupRow>(workingGroups, groupId);
        if (group?.lead_organization_ids.includes(organizationId)) {
          uow.put<WorkingGroupRow>(workingGroups, {
            ...group,
            lead_organization_ids: group.lead_organization_ids.filter((id) => id !== organizationId),
            updated_at: iso(event.data.at),
          });
        }
        change({ view: 'member', id: organizationId });
        break;
      }
      default:
        return;
    }
    change({ view: 'workingGroup', id: event.data.groupId });
  },
};
