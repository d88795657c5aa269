import { memberNames } from '../members/queries.ts';
import type { QueryContext } from '../query-context.ts';
import type { WorkingGroupDetail, WorkingGroupView } from './schema.ts';
import type { WorkingGroupMemberRow, WorkingGroupRow } from './table.ts';
import { workingGroupMembers, workingGroups } from './table.ts';

/** The working groups read model's part of `ReadModels`. */
export interface WorkingGroupQueries {
  workingGroups(): Promise<WorkingGroupView[]>;
  workingGroup(groupId: string): Promise<WorkingGroupDetail | null>;
}

/** Working groups, oldest first, and one with its member organizations. */
export function workingGroupQueries(context: QueryContext): WorkingGroupQueries {
  const { allOf, allWhere, firstWhere } = context;
  return {
    async workingGroups() {
      const groups = await allOf(workingGroups, 'created_at', 'group_id');
      const memberRows = await allOf(workingGroupMembers);
      return groups.map((group) => toGroupView(group, memberRows));
    },

    async workingGroup(groupId) {
      const group = await firstWhere(workingGroups, 'group_id', groupId);
      if (!group) return null;
      const memberRows = await allWhere(workingGroupMembers, 'group_id', groupId, 'organization_id');
      const names = await memberNames(
        context,
        memberRows.map((member) => member.organization_id),
      );
      return {
        ...toGroupView(group, memberRows),
        members: memberRows.map((member) => ({
          organizationId: member.organization_id,
          name: names.get(member.organization_id) ?? null,
          hoursPerMonth: member.hours_per_month,
          isLead: group.lead_organization_ids.includes(member.organization_id),
          joinedAt: member.joined_at,
          updatedAt: member.updated_at,
        })),
      };
    },
  };
}

function toGroupView(row: WorkingGroupRow, memberRows: WorkingGroupMemberRow[]): WorkingGroupView {
  const own = memberRows.filter((member) => member.group_id === row.group_id);
  return {
    groupId: row.group_id,
    name: row.name,
    purpose: row.purpose,
    status: row.status,
    mandate: row.mandate,
    leadOrganizationIds: row.lead_organization_ids,
    createdByProposalId: row.created_by_proposal_id,
    mandateProposalId: row.mandate_proposal_id,
    createdAt: row.created_at,
    dissolvedAt: row.dissolved_at,
    updatedAt: row.updated_at,
    memberCount: own.length,
    hoursPerMonth: own.reduce((total, member) => total + member.hours_per_month, 0),
  };
}
