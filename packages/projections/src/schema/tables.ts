import {
  type BudgetLineHistoryRow,
  type BudgetLineRow,
  type BudgetRow,
  type BudgetTables,
  budgetLineHistory,
  budgetLines,
  budgets,
} from '../read-models/budget/table.ts';
import {
  type CharterHistoryRow,
  type CharterRow,
  type CharterSopRow,
  type CharterTables,
  charter,
  charterHistory,
  charterSops,
} from '../read-models/charter/table.ts';
import {
  type GrantApplicationRow,
  type GrantCallRow,
  type GrantDisbursementRow,
  type GrantReviewRow,
  type GrantTables,
  grantApplications,
  grantCalls,
  grantDisbursements,
  grantReviews,
} from '../read-models/grants/table.ts';
import {
  type MemberRow,
  type MemberTables,
  members,
  type RepresentativeRow,
  representatives,
} from '../read-models/members/table.ts';
import {
  type ProposalCommentRow,
  type ProposalRevisionRow,
  type ProposalRow,
  type ProposalStanceRow,
  type ProposalTables,
  type ProposalTranslationRow,
  proposalComments,
  proposalRevisions,
  proposalStances,
  proposals,
  proposalTranslations,
} from '../read-models/proposals/table.ts';
import {
  type BudgetQuestionRow,
  budgetQuestions,
  type QuestionTables,
} from '../read-models/questions/table.ts';
import {
  type WorkingGroupMemberRow,
  type WorkingGroupRow,
  type WorkingGroupTables,
  workingGroupMembers,
  workingGroups,
} from '../read-models/working-groups/table.ts';
import { col, type RowOf, table } from './columns.ts';

export {
  type BudgetLineHistoryRow,
  type BudgetLineRow,
  type BudgetQuestionRow,
  type BudgetRow,
  budgetLineHistory,
  budgetLines,
  budgetQuestions,
  budgets,
  type CharterHistoryRow,
  type CharterRow,
  type CharterSopRow,
  charter,
  charterHistory,
  charterSops,
  type GrantApplicationRow,
  type GrantCallRow,
  type GrantDisbursementRow,
  type GrantReviewRow,
  grantApplications,
  grantCalls,
  grantDisbursements,
  grantReviews,
  type MemberRow,
  members,
  type ProposalCommentRow,
  type ProposalRevisionRow,
  type ProposalRow,
  type ProposalStanceRow,
  type ProposalTranslationRow,
  proposalComments,
  proposalRevisions,
  proposalStances,
  proposals,
  proposalTranslations,
  type RepresentativeRow,
  representatives,
  type WorkingGroupMemberRow,
  type WorkingGroupRow,
  workingGroupMembers,
  workingGroups,
};

/** Where the projector is: the last applied global position and how many events it applied. */
export const checkpoints = table({
  name: 'checkpoints',
  columns: {
    name: col.text(),
    position: col.bigint(),
    events: col.bigint(),
    updated_at: col.time(),
  },
  primaryKey: ['name'],
  indexes: [],
});

// --- Budget ---------------------------------------------------------------------------------------

// --- Proposals and consensus -----------------------------------------------------------------------

// --- Working groups -----------------------------------------------------------------------------------

// --- Members ------------------------------------------------------------------------------------------

// --- Grants -------------------------------------------------------------------------------------------

// --- Charter ------------------------------------------------------------------------------------------

// --- Audit trail ---------------------------------------------------------------------------------------

export const auditTrail = table({
  name: 'audit_trail',
  columns: {
    global_position: col.bigint(),
    event_id: col.id(),
    stream_id: col.id(),
    stream_position: col.bigint(),
    type: col.id(),
    recorded_at: col.time(),
    occurred_at: col.time().orNull(),
    actor_person_id: col.id().orNull(),
    actor_organization_id: col.id().orNull(),
    actor_role: col.text().orNull(),
    organization_id: col.id().orNull(),
    body_type: col.text<'coalition' | 'workingGroup'>().orNull(),
    body_group_id: col.id().orNull(),
    proposal_id: col.id().orNull(),
    budget_id: col.id().orNull(),
    line_id: col.id().orNull(),
    group_id: col.id().orNull(),
    grant_call_id: col.id().orNull(),
    summary: col.text(),
    hash: col.text(),
  },
  primaryKey: ['global_position'],
  indexes: [
    { name: 'audit_trail_actor', columns: ['actor_person_id', 'global_position'] },
    { name: 'audit_trail_actor_organization', columns: ['actor_organization_id', 'global_position'] },
    {
      name: 'audit_trail_organization',
      columns: ['organization_id', 'global_position'],
      where: 'organization_id IS NOT NULL',
    },
    {
      name: 'audit_trail_proposal',
      columns: ['proposal_id', 'global_position'],
      where: 'proposal_id IS NOT NULL',
    },
    {
      name: 'audit_trail_line',
      columns: ['budget_id', 'line_id', 'global_position'],
      where: 'line_id IS NOT NULL',
    },
    {
      name: 'audit_trail_body',
      columns: ['body_group_id', 'global_position'],
      where: 'body_group_id IS NOT NULL',
    },
    { name: 'audit_trail_type', columns: ['type', 'global_position'] },
    { name: 'audit_trail_recorded', columns: ['recorded_at'] },
  ],
  appendOnly: true,
});

/** Every read-model table, in the order they are created. */
export const tables = [
  checkpoints,
  budgets,
  budgetLines,
  budgetLineHistory,
  budgetQuestions,
  proposals,
  proposalStances,
  proposalComments,
  proposalRevisions,
  proposalTranslations,
  workingGroups,
  workingGroupMembers,
  members,
  representatives,
  grantCalls,
  grantApplications,
  grantReviews,
  grantDisbursements,
  charter,
  charterSops,
  charterHistory,
  auditTrail,
] as const;

/** The tables the views write (everything but the checkpoint). */
export const viewTables = tables.filter((spec) => spec !== checkpoints);

export type CheckpointRow = RowOf<typeof checkpoints>;
export type AuditRow = RowOf<typeof auditTrail>;

/** The read-model schema as Kysely sees it (values as read back before normalization may differ). */
export interface ReadModelDatabase
  extends BudgetTables,
    QuestionTables,
    MemberTables,
    WorkingGroupTables,
    CharterTables,
    GrantTables,
    ProposalTables {
  checkpoints: CheckpointRow;
  audit_trail: AuditRow;
}
