import { sql } from 'kysely';
import type { QueryContext } from '../query-context.ts';
import { workingGroupMembers, workingGroups } from '../working-groups/table.ts';
import type { MemberDetail, MemberView, RepresentativeView } from './schema.ts';
import type { MemberRow, RepresentativeRow } from './table.ts';
import { members, representatives } from './table.ts';

/** The members read model's part of `ReadModels`. */
export interface MemberQueries {
  members(): Promise<MemberView[]>;
  member(organizationId: string): Promise<MemberDetail | null>;
  /** The member organization(s) a person currently represents (active representatives of members). */
  representativesOf(personId: string): Promise<{ organizationId: string; organizationName: string }[]>;
}

/** Member organizations, their representatives and their working-group commitments. */
export function memberQueries(context: QueryContext): MemberQueries {
  const { q, allOf, allWhere, firstWhere } = context;
  return {
    async members() {
      const listed = await allOf(members, 'organization_id');
      const counts = await q
        .selectFrom('representatives')
        .select(['organization_id', sql<string>`count(*)`.as('active')])
        .where('status', '=', 'active')
        .groupBy('organization_id')
        .execute();
      const active = new Map(counts.map((count) => [count.organization_id, Number(count.active)]));
      return listed.map((member) => toMemberView(member, active.get(member.organization_id) ?? 0));
    },

    async member(organizationId) {
      const member = await firstWhere(members, 'organization_id', organizationId);
      if (!member) return null;
      const reps = await allWhere(representatives, 'organization_id', organizationId, 'person_id');
      const memberships = await allWhere(workingGroupMembers, 'organization_id', organizationId);
      const groups = await allOf(workingGroups);
      return {
        ...toMemberView(member, reps.filter((rep) => rep.status === 'active').length),
        representatives: reps.map(toRepresentative),
        commitments: memberships
          .map((membership) => {
            const group = groups.find((candidate) => candidate.group_id === membership.group_id);
            return {
              groupId: membership.group_id,
              groupName: group?.name ?? membership.group_id,
              hoursPerMonth: membership.hours_per_month,
              isLead: group?.lead_organization_ids.includes(organizationId) ?? false,
            };
          })
          .sort((a, b) => a.groupId.localeCompare(b.groupId)),
      };
    },

    async representativesOf(personId) {
      const found = await q
        .selectFrom('representatives')
        .innerJoin('members', 'members.organization_id', 'representatives.organization_id')
        .select(['representatives.organization_id as organizationId', 'members.name as organizationName'])
        .where('representatives.person_id', '=', personId)
        .where('representatives.status', '=', 'active')
        .where('members.status', '=', 'member')
        .orderBy('representatives.organization_id')
        .execute();
      return found.map((one) => ({
        organizationId: one.organizationId,
        organizationName: one.organizationName,
      }));
    },
  };
}

/** The names of member organizations by id: other read models show them beside the ids they store. */
export async function memberNames({ q }: QueryContext, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const found = await q
    .selectFrom('members')
    .select(['organization_id', 'name'])
    .where('organization_id', 'in', [...new Set(ids)])
    .execute();
  return new Map(found.map((row) => [row.organization_id, row.name]));
}

function toMemberView(row: MemberRow, active: number): MemberView {
  return {
    organizationId: row.organization_id,
    name: row.name,
    status: row.status,
    admission: row.admission,
    admittedByProposalId: row.admitted_by_proposal_id,
    admittedAt: row.admitted_at,
    departedAt: row.departed_at,
    departureReason: row.departure_reason,
    profile: row.profile,
    profileUpdatedAt: row.profile_updated_at,
    updatedAt: row.updated_at,
    activeRepresentatives: active,
  };
}

function toRepresentative(row: RepresentativeRow): RepresentativeView {
  return {
    organizationId: row.organization_id,
    personId: row.person_id,
    status: row.status,
    confirmed: row.confirmed,
    invitedByPersonId: row.invited_by_person_id,
    invitedAt: row.invited_at,
    joinedAt: row.joined_at,
  };
}
