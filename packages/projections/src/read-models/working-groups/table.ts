import type { Mandate } from '@concord/domain';
import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';

/** Working groups: purpose, mandate, leads and status. */
export const workingGroups = table({
  name: 'working_groups',
  columns: {
    group_id: col.id(),
    name: col.text(),
    purpose: col.text(),
    status: col.text<'active' | 'dissolved'>(),
    mandate: col.json<Mandate>(),
    lead_organization_ids: col.json<string[]>(),
    created_by_proposal_id: col.id(),
    mandate_proposal_id: col.id(),
    created_at: col.time(),
    dissolved_at: col.time().orNull(),
    updated_at: col.time(),
  },
  primaryKey: ['group_id'],
  indexes: [],
});

/** The member organizations of each working group and the hours a month they commit. */
export const workingGroupMembers = table({
  name: 'working_group_members',
  columns: {
    group_id: col.id(),
    organization_id: col.id(),
    hours_per_month: col.integer(),
    joined_at: col.time(),
    joined_by_person_id: col.id(),
    updated_at: col.time(),
  },
  primaryKey: ['group_id', 'organization_id'],
  indexes: [{ name: 'working_group_members_organization', columns: ['organization_id'] }],
});

export type WorkingGroupRow = RowOf<typeof workingGroups>;
export type WorkingGroupMemberRow = RowOf<typeof workingGroupMembers>;

/** The working-groups read model's tables as Kysely sees them. */
export type WorkingGroupTables = TablesOf<typeof workingGroups | typeof workingGroupMembers>;
