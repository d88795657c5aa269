import type { DecisionRules, ProposalPayload, Recusal, TranslatedItem } from '@concord/domain';
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

/** The compact ballot kept with each proposal so its tally can be recomputed with `computeOutcome`. */
export type Ballot = Record<
  string,
  { stance: 'consent' | 'concerns' | 'standAside' | 'block'; revision: number; changes: number }
>;

export const proposals = table({
  name: 'proposals',
  columns: {
    proposal_id: col.id(),
    kind: col.text<ProposalPayload['kind']>(),
    title: col.text(),
    body: col.text(),
    payload: col.json<ProposalPayload>(),
    status: col.text<
      'draft' | 'open' | 'adopted' | 'notAdopted' | 'withdrawn' | 'executed' | 'executionFailed'
    >(),
    revision: col.integer(),
    proposer_person_id: col.id(),
    proposer_organization_id: col.id().orNull(),
    drafted_at: col.time(),
    drafted_position: col.bigint(),
    opened_at: col.time().orNull(),
    deciding_body_type: col.text<'coalition' | 'workingGroup'>().orNull(),
    deciding_group_id: col.id().orNull(),
    routing_reason: col.text().orNull(),
    routing_line_id: col.id().orNull(),
    rules: col.json<DecisionRules>().orNull(),
    member_ids: col.json<string[]>(),
    recusals: col.json<Recusal[]>(),
    urgent_reason: col.text().orNull(),
    feedback_ends_at: col.time().orNull(),
    round: col.integer(),
    scheduled_for: col.time().orNull(),
    ballot: col.json<Ballot>(),
    eligible: col.integer(),
    quorum_required: col.integer(),
    counted: col.integer(),
    consent: col.integer(),
    concerns: col.integer(),
    stand_aside: col.integer(),
    block: col.integer(),
    needs_review: col.integer(),
    outcome: col.text<'adopted' | 'notAdopted'>().orNull(),
    outcome_reason: col
      .text<'consensus' | 'everyoneHasSpoken' | 'fallbackSupermajority' | 'blocked'>()
      .orNull(),
    decided_at: col.time().orNull(),
    decision_event_id: col.id().orNull(),
    executed_at: col.time().orNull(),
    execution_failure: col.json<{ code: string; message: string }>().orNull(),
    withdrawn_reason: col.text().orNull(),
    withdrawn_at: col.time().orNull(),
    comments: col.integer(),
    budget_id: col.id().orNull(),
    line_ids: col.json<string[]>(),
    group_id: col.id().orNull(),
    grant_call_id: col.id().orNull(),
    application_id: col.id().orNull(),
    updated_at: col.time(),
    last_position: col.bigint(),
  },
  primaryKey: ['proposal_id'],
  indexes: [
    { name: 'proposals_status', columns: ['status', 'drafted_position'] },
    { name: 'proposals_drafted', columns: ['drafted_position'] },
  ],
});

export const proposalStances = table({
  name: 'proposal_stances',
  columns: {
    proposal_id: col.id(),
    organization_id: col.id(),
    person_id: col.id(),
    stance: col.text<'consent' | 'concerns' | 'standAside' | 'block'>(),
    reason: col.text().orNull(),
    revision: col.integer(),
    round: col.integer(),
    at: col.time(),
    changes: col.integer(),
  },
  primaryKey: ['proposal_id', 'organization_id'],
  indexes: [{ name: 'proposal_stances_organization', columns: ['organization_id'] }],
  writeOnly: true,
});

export const proposalComments = table({
  name: 'proposal_comments',
  columns: {
    proposal_id: col.id(),
    comment_id: col.id(),
    text: col.text(),
    person_id: col.id(),
    organization_id: col.id().orNull(),
    revision: col.integer(),
    at: col.time(),
    global_position: col.bigint(),
  },
  primaryKey: ['proposal_id', 'comment_id'],
  indexes: [],
  appendOnly: true,
});

/**
 * The translations members added to a proposal, its comments and its stance reasons: the latest per item
 * and language (`item_key` as `translatedItemKey` makes it). Whether one is outdated is derived when read,
 * from `version` against the item's current version.
 */
export const proposalTranslations = table({
  name: 'proposal_translations',
  columns: {
    proposal_id: col.id(),
    item_key: col.id(),
    item: col.json<TranslatedItem>(),
    language: col.id(),
    source_language: col.id(),
    version: col.integer(),
    title: col.text().orNull(),
    text: col.text(),
    person_id: col.id(),
    organization_id: col.id(),
    at: col.time(),
    global_position: col.bigint(),
  },
  primaryKey: ['proposal_id', 'item_key', 'language'],
  indexes: [],
  writeOnly: true,
});

/** The text of every revision of a proposal (1 when drafted, one more per amendment). */
export const proposalRevisions = table({
  name: 'proposal_revisions',
  columns: {
    proposal_id: col.id(),
    revision: col.integer(),
    title: col.text(),
    body: col.text(),
    payload: col.json<ProposalPayload>(),
    by_person_id: col.id(),
    at: col.time(),
    global_position: col.bigint(),
  },
  primaryKey: ['proposal_id', 'revision'],
  indexes: [],
  appendOnly: true,
});

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
export type ProposalRow = RowOf<typeof proposals>;
export type ProposalStanceRow = RowOf<typeof proposalStances>;
export type ProposalCommentRow = RowOf<typeof proposalComments>;
export type ProposalRevisionRow = RowOf<typeof proposalRevisions>;
export type ProposalTranslationRow = RowOf<typeof proposalTranslations>;
export type AuditRow = RowOf<typeof auditTrail>;

/** The read-model schema as Kysely sees it (values as read back before normalization may differ). */
export interface ReadModelDatabase
  extends BudgetTables,
    QuestionTables,
    MemberTables,
    WorkingGroupTables,
    CharterTables,
    GrantTables {
  checkpoints: CheckpointRow;
  proposals: ProposalRow;
  proposal_stances: ProposalStanceRow;
  proposal_comments: ProposalCommentRow;
  proposal_revisions: ProposalRevisionRow;
  proposal_translations: ProposalTranslationRow;
  audit_trail: AuditRow;
}
