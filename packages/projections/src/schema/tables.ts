import type {
  DecisionRules,
  Mandate,
  MemberProfile,
  ProposalPayload,
  Recusal,
  TranslatedItem,
} from '@concord/domain';
import { col, type RowOf, table } from './columns.ts';

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

export const budgets = table({
  name: 'budgets',
  columns: {
    budget_id: col.id(),
    name: col.text(),
    currency: col.text(),
    fiscal_start: col.text(),
    fiscal_end: col.text(),
    opened_by_proposal_id: col.id(),
    opened_at: col.time(),
    opened_position: col.bigint(),
    updated_at: col.time(),
  },
  primaryKey: ['budget_id'],
  indexes: [],
});

export const budgetLines = table({
  name: 'budget_lines',
  columns: {
    budget_id: col.id(),
    line_id: col.id(),
    name: col.text(),
    category: col.text(),
    steward_group_id: col.id().orNull(),
    partner_organization_ids: col.json<string[]>(),
    currency: col.text(),
    allocated: col.bigint(),
    committed: col.bigint(),
    spent: col.bigint(),
    remaining: col.bigint(),
    changes: col.integer(),
    created_by_proposal_id: col.id(),
    created_at: col.time(),
    updated_at: col.time(),
    last_position: col.bigint(),
  },
  primaryKey: ['budget_id', 'line_id'],
  indexes: [{ name: 'budget_lines_steward', columns: ['steward_group_id'] }],
});

/** Every change of a line, with the adopted proposal that decided it. */
export const budgetLineHistory = table({
  name: 'budget_line_history',
  columns: {
    global_position: col.bigint(),
    budget_id: col.id(),
    line_id: col.id(),
    change: col.text<
      'created' | 'allocationChanged' | 'spent' | 'grantCommitted' | 'grantDisbursed' | 'stewardshipChanged'
    >(),
    amount: col.bigint(),
    allocated_after: col.bigint(),
    committed_after: col.bigint(),
    spent_after: col.bigint(),
    remaining_after: col.bigint(),
    description: col.text().orNull(),
    proposal_id: col.id(),
    proposal_title: col.text().orNull(),
    decided_by_type: col.text<'coalition' | 'workingGroup'>().orNull(),
    decided_by_group_id: col.id().orNull(),
    grant_call_id: col.id().orNull(),
    application_id: col.id().orNull(),
    organization_id: col.id().orNull(),
    at: col.time(),
  },
  primaryKey: ['global_position'],
  indexes: [{ name: 'budget_line_history_line', columns: ['budget_id', 'line_id', 'global_position'] }],
  appendOnly: true,
});

export const budgetQuestions = table({
  name: 'budget_questions',
  columns: {
    budget_id: col.id(),
    question_id: col.id(),
    line_id: col.id(),
    text: col.text(),
    asked_by_organization_id: col.id(),
    asked_by_person_id: col.id(),
    asked_at: col.time(),
    status: col.text<'open' | 'answered'>(),
    answer: col.text().orNull(),
    answered_by_organization_id: col.id().orNull(),
    answered_by_person_id: col.id().orNull(),
    answered_at: col.time().orNull(),
    asked_position: col.bigint(),
  },
  primaryKey: ['budget_id', 'question_id'],
  indexes: [{ name: 'budget_questions_line', columns: ['budget_id', 'line_id'] }],
});

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

// --- Members ------------------------------------------------------------------------------------------

export const members = table({
  name: 'members',
  columns: {
    organization_id: col.id(),
    name: col.text(),
    status: col.text<'member' | 'departed'>(),
    admission: col.text<'founding' | 'decision'>(),
    admitted_by_proposal_id: col.id().orNull(),
    admitted_at: col.time(),
    departed_at: col.time().orNull(),
    departure_reason: col.text().orNull(),
    profile: col.json<MemberProfile>().orNull(),
    profile_updated_at: col.time().orNull(),
    updated_at: col.time(),
  },
  primaryKey: ['organization_id'],
  indexes: [],
});

export const representatives = table({
  name: 'representatives',
  columns: {
    organization_id: col.id(),
    person_id: col.id(),
    /** `invited`: not accepted yet; `awaitingConfirmation`: accepted, the organization has not confirmed. */
    status: col.text<'invited' | 'awaitingConfirmation' | 'active'>(),
    /** The organization confirmed the person (its representative invited or confirmed them, or by appointment). */
    confirmed: col.boolean(),
    invited_by_person_id: col.id(),
    invited_at: col.time(),
    joined_at: col.time().orNull(),
  },
  primaryKey: ['organization_id', 'person_id'],
  indexes: [{ name: 'representatives_person', columns: ['person_id'] }],
});

// --- Grants -------------------------------------------------------------------------------------------

export const grantCalls = table({
  name: 'grant_calls',
  columns: {
    grant_call_id: col.id(),
    title: col.text(),
    description: col.text(),
    criteria: col.json<string[]>(),
    budget_id: col.id(),
    line_id: col.id(),
    steward_group_id: col.id().orNull(),
    deadline: col.time(),
    published_by_person_id: col.id(),
    published_at: col.time(),
  },
  primaryKey: ['grant_call_id'],
  indexes: [],
});

export const grantApplications = table({
  name: 'grant_applications',
  columns: {
    grant_call_id: col.id(),
    application_id: col.id(),
    applicant_organization_id: col.id(),
    applicant_name: col.text(),
    amount_requested: col.bigint(),
    summary: col.text(),
    submitted_by_person_id: col.id(),
    submitted_at: col.time(),
    reviews: col.integer(),
    awarded_amount: col.bigint().orNull(),
    award_proposal_id: col.id().orNull(),
    awarded_at: col.time().orNull(),
    disbursed: col.bigint(),
  },
  primaryKey: ['grant_call_id', 'application_id'],
  indexes: [],
});

export const grantReviews = table({
  name: 'grant_reviews',
  columns: {
    grant_call_id: col.id(),
    application_id: col.id(),
    reviewer_organization_id: col.id(),
    reviewer_person_id: col.id(),
    recommendation: col.text<'fund' | 'doNotFund' | 'revise'>(),
    assessment: col.text(),
    at: col.time(),
  },
  primaryKey: ['grant_call_id', 'application_id', 'reviewer_organization_id'],
  indexes: [],
});

export const grantDisbursements = table({
  name: 'grant_disbursements',
  columns: {
    global_position: col.bigint(),
    grant_call_id: col.id(),
    application_id: col.id(),
    amount: col.bigint(),
    proposal_id: col.id(),
    at: col.time(),
  },
  primaryKey: ['global_position'],
  indexes: [{ name: 'grant_disbursements_application', columns: ['grant_call_id', 'application_id'] }],
  appendOnly: true,
});

// --- Charter ------------------------------------------------------------------------------------------

export const charter = table({
  name: 'charter',
  columns: {
    charter_id: col.id<'charter'>(),
    coalition_name: col.text(),
    rules: col.json<DecisionRules>(),
    shared_values: col.json<string[]>(),
    founded_at: col.time(),
    updated_at: col.time(),
    changes: col.integer(),
  },
  primaryKey: ['charter_id'],
  indexes: [],
});

export const charterSops = table({
  name: 'charter_sops',
  columns: {
    sop_id: col.id(),
    title: col.text(),
    text: col.text(),
    version: col.integer(),
    status: col.text<'active' | 'retired'>(),
    adopted_by_proposal_id: col.id().orNull(),
    adopted_at: col.time(),
    retired_at: col.time().orNull(),
  },
  primaryKey: ['sop_id'],
  indexes: [],
});

export const charterHistory = table({
  name: 'charter_history',
  columns: {
    global_position: col.bigint(),
    change: col.text<'founded' | 'rulesChanged' | 'valuesRevised' | 'sopAdopted' | 'sopRetired'>(),
    sop_id: col.id().orNull(),
    version: col.integer().orNull(),
    content: col.json<unknown>().orNull(),
    proposal_id: col.id().orNull(),
    at: col.time(),
  },
  primaryKey: ['global_position'],
  indexes: [],
  appendOnly: true,
});

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
    /** The event's data as recorded (current shape); null on rows written before migration 0006. */
    data: col.json<Record<string, unknown>>().orNull(),
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
export type BudgetRow = RowOf<typeof budgets>;
export type BudgetLineRow = RowOf<typeof budgetLines>;
export type BudgetLineHistoryRow = RowOf<typeof budgetLineHistory>;
export type BudgetQuestionRow = RowOf<typeof budgetQuestions>;
export type ProposalRow = RowOf<typeof proposals>;
export type ProposalStanceRow = RowOf<typeof proposalStances>;
export type ProposalCommentRow = RowOf<typeof proposalComments>;
export type ProposalRevisionRow = RowOf<typeof proposalRevisions>;
export type ProposalTranslationRow = RowOf<typeof proposalTranslations>;
export type WorkingGroupRow = RowOf<typeof workingGroups>;
export type WorkingGroupMemberRow = RowOf<typeof workingGroupMembers>;
export type MemberRow = RowOf<typeof members>;
export type RepresentativeRow = RowOf<typeof representatives>;
export type GrantCallRow = RowOf<typeof grantCalls>;
export type GrantApplicationRow = RowOf<typeof grantApplications>;
export type GrantReviewRow = RowOf<typeof grantReviews>;
export type GrantDisbursementRow = RowOf<typeof grantDisbursements>;
export type CharterRow = RowOf<typeof charter>;
export type CharterSopRow = RowOf<typeof charterSops>;
export type CharterHistoryRow = RowOf<typeof charterHistory>;
export type AuditRow = RowOf<typeof auditTrail>;

/** The read-model schema as Kysely sees it (values as read back before normalization may differ). */
export interface ReadModelDatabase {
  checkpoints: CheckpointRow;
  budgets: BudgetRow;
  budget_lines: BudgetLineRow;
  budget_line_history: BudgetLineHistoryRow;
  budget_questions: BudgetQuestionRow;
  proposals: ProposalRow;
  proposal_stances: ProposalStanceRow;
  proposal_comments: ProposalCommentRow;
  proposal_revisions: ProposalRevisionRow;
  proposal_translations: ProposalTranslationRow;
  working_groups: WorkingGroupRow;
  working_group_members: WorkingGroupMemberRow;
  members: MemberRow;
  representatives: RepresentativeRow;
  grant_calls: GrantCallRow;
  grant_applications: GrantApplicationRow;
  grant_reviews: GrantReviewRow;
  grant_disbursements: GrantDisbursementRow;
  charter: CharterRow;
  charter_sops: CharterSopRow;
  charter_history: CharterHistoryRow;
  audit_trail: AuditRow;
}
