import type {
  DecisionRules,
  Mandate,
  MemberProfile,
  Outcome,
  ProposalKind,
  ProposalPayload,
  Recusal,
  Tally,
  TranslatedItem,
} from '@concord/domain';
import type {
  AuditRow,
  BudgetLineHistoryRow,
  BudgetLineRow,
  BudgetQuestionRow,
  ProposalRow,
  ProposalStanceRow,
} from '../schema/tables.ts';

// The read-model contract: what the API and the portal show. Money is an integer number of minor units
// with its currency beside it; times are ISO-8601 strings; positions are the store's global positions.

export type DecidingBody = { type: 'coalition' } | { type: 'workingGroup'; groupId: string };

export interface BudgetTotals {
  allocated: number;
  committed: number;
  spent: number;
  remaining: number;
}

export interface BudgetSummary {
  budgetId: string;
  name: string;
  currency: string;
  fiscalPeriod: { start: string; end: string };
  openedByProposalId: string;
  openedAt: string;
  updatedAt: string;
  totals: BudgetTotals;
  lineCount: number;
  openQuestions: number;
}

export interface BudgetLineView extends BudgetTotals {
  budgetId: string;
  lineId: string;
  name: string;
  category: string;
  /** The working group that stewards the line; null: the full coalition. */
  stewardGroupId: string | null;
  partnerOrganizationIds: string[];
  currency: string;
  /** Number of recorded changes (creation included). */
  changes: number;
  createdByProposalId: string;
  createdAt: string;
  updatedAt: string;
  openQuestions: number;
}

export interface BudgetDetail extends BudgetSummary {
  lines: BudgetLineView[];
}

export interface LineChange {
  position: number;
  budgetId: string;
  lineId: string;
  change: BudgetLineHistoryRow['change'];
  /** The amount moved (for an allocation change, the signed delta), in minor units. */
  amount: number;
  currency: string | null;
  after: BudgetTotals;
  description: string | null;
  proposalId: string;
  proposalTitle: string | null;
  decidedBy: DecidingBody | null;
  grantCallId: string | null;
  applicationId: string | null;
  organizationId: string | null;
  at: string;
}

export interface BudgetQuestionView {
  budgetId: string;
  questionId: string;
  lineId: string;
  text: string;
  askedBy: { organizationId: string; personId: string };
  askedAt: string;
  status: 'open' | 'answered';
  answer: { text: string; organizationId: string; personId: string; at: string } | null;
  position: number;
}

export interface ProposalSummary {
  proposalId: string;
  kind: ProposalKind;
  title: string;
  status: ProposalRow['status'];
  revision: number;
  proposer: { personId: string; organizationId: string | null };
  draftedAt: string;
  /** Global position of the drafting event: the order proposals are listed and paged in. */
  position: number;
  openedAt: string | null;
  decidingBody: DecidingBody | null;
  routingReason: string | null;
  routingLineId: string | null;
  feedbackEndsAt: string | null;
  round: number;
  tally: Tally;
  quorum: { required: number; counted: number; met: boolean };
  outcome: { outcome: 'adopted' | 'notAdopted'; reason: string; decidedAt: string } | null;
  commentCount: number;
  links: {
    budgetId: string | null;
    lineIds: string[];
    groupId: string | null;
    grantCallId: string | null;
    applicationId: string | null;
  };
  updatedAt: string;
}

export interface StanceView {
  organizationId: string;
  organizationName: string | null;
  personId: string;
  stance: 'consent' | 'concerns' | 'standAside' | 'block';
  reason: string | null;
  /** The revision of the text the stance was given on. */
  revision: number;
  /** True when the text was amended since: the organization should review its stance. */
  needsReview: boolean;
  round: number;
  at: string;
  changes: number;
}

/** A member's translation of the proposal, a comment or a stance reason (the latest per item and language). */
export interface TranslationView {
  item: TranslatedItem;
  /** `proposal`, `comment:<commentId>` or `stanceReason:<organizationId>`. */
  itemKey: string;
  language: string;
  sourceLanguage: string;
  /** The version of the original translated (see `translatedVersionSchema`). */
  version: number;
  /** True when the original changed since (an amendment, a new stance): derived, never recorded. */
  outdated: boolean;
  title: string | null;
  text: string;
  personId: string;
  organizationId: string;
  organizationName: string | null;
  at: string;
}

export interface ProposalDetail extends ProposalSummary {
  body: string;
  payload: ProposalPayload;
  rules: DecisionRules | null;
  memberIds: string[];
  recusals: Recusal[];
  urgentReason: string | null;
  scheduledFor: string | null;
  /** Every organization of the deciding body: its stance, or null when not yet consulted. */
  stances: StanceView[];
  notYetConsulted: string[];
  comments: {
    commentId: string;
    text: string;
    personId: string;
    organizationId: string | null;
    revision: number;
    at: string;
  }[];
  revisions: {
    revision: number;
    title: string;
    body: string;
    payload: ProposalPayload;
    byPersonId: string;
    at: string;
  }[];
  /** Members' translations, in the order they were added. */
  translations: TranslationView[];
  withdrawn: { reason: string; at: string } | null;
  execution: {
    at: string;
    failure: { code: string; message: string } | null;
    decisionEventId: string | null;
  } | null;
  /** Computed at query time from the stored window end and `now`. */
  live: { now: string; timeLeftMs: number | null; outcome: Outcome | null };
}

export interface WorkingGroupView {
  groupId: string;
  name: string;
  purpose: string;
  status: 'active' | 'dissolved';
  mandate: Mandate;
  leadOrganizationIds: string[];
  createdByProposalId: string;
  mandateProposalId: string;
  createdAt: string;
  dissolvedAt: string | null;
  updatedAt: string;
  memberCount: number;
  hoursPerMonth: number;
}

export interface GroupMemberView {
  organizationId: string;
  name: string | null;
  hoursPerMonth: number;
  isLead: boolean;
  joinedAt: string;
  updatedAt: string;
}

export interface WorkingGroupDetail extends WorkingGroupView {
  members: GroupMemberView[];
}

export interface MemberView {
  organizationId: string;
  name: string;
  status: 'member' | 'departed';
  admission: 'founding' | 'decision';
  admittedByProposalId: string | null;
  admittedAt: string;
  departedAt: string | null;
  departureReason: string | null;
  profile: MemberProfile | null;
  profileUpdatedAt: string | null;
  updatedAt: string;
  activeRepresentatives: number;
}

export interface RepresentativeView {
  organizationId: string;
  personId: string;
  status: 'invited' | 'awaitingConfirmation' | 'active';
  /** Whether the organization confirmed the person (its own representative invited or confirmed them). */
  confirmed: boolean;
  invitedByPersonId: string;
  invitedAt: string;
  joinedAt: string | null;
}

export interface MemberDetail extends MemberView {
  representatives: RepresentativeView[];
  commitments: { groupId: string; groupName: string; hoursPerMonth: number; isLead: boolean }[];
}

export interface GrantCallView {
  grantCallId: string;
  title: string;
  description: string;
  criteria: string[];
  budgetId: string;
  lineId: string;
  stewardGroupId: string | null;
  currency: string | null;
  deadline: string;
  publishedByPersonId: string;
  publishedAt: string;
  applications: number;
  totals: { requested: number; awarded: number; disbursed: number };
}

export interface GrantApplicationView {
  applicationId: string;
  applicantOrganizationId: string;
  applicantName: string;
  amountRequested: number;
  summary: string;
  submittedByPersonId: string;
  submittedAt: string;
  reviews: {
    reviewerOrganizationId: string;
    reviewerPersonId: string;
    recommendation: string;
    assessment: string;
    at: string;
  }[];
  award: { amount: number; proposalId: string | null; at: string | null } | null;
  disbursed: number;
  disbursements: { position: number; amount: number; proposalId: string; at: string }[];
}

export interface GrantCallDetail extends Omit<GrantCallView, 'applications'> {
  applications: GrantApplicationView[];
}

export interface CharterView {
  coalitionName: string;
  rules: DecisionRules;
  sharedValues: string[];
  foundedAt: string;
  updatedAt: string;
  sops: {
    sopId: string;
    title: string;
    text: string;
    version: number;
    status: 'active' | 'retired';
    adoptedByProposalId: string | null;
    adoptedAt: string;
    retiredAt: string | null;
  }[];
  history: {
    position: number;
    change: string;
    sopId: string | null;
    version: number | null;
    content: unknown;
    proposalId: string | null;
    at: string;
  }[];
}

export interface AuditEntry {
  position: number;
  eventId: string;
  streamId: string;
  streamPosition: number;
  type: string;
  /** When the store recorded the event. */
  recordedAt: string;
  /** The time the command carried. */
  occurredAt: string | null;
  actor: { personId: string | null; organizationId: string | null; role: string | null };
  /** The organization acting or concerned. */
  organizationId: string | null;
  body: DecidingBody | null;
  proposalId: string | null;
  budgetId: string | null;
  lineId: string | null;
  groupId: string | null;
  grantCallId: string | null;
  summary: string;
  hash: string;
  /** The event's data as recorded (ids and values); null on rows projected before it was kept. */
  data: Record<string, unknown> | null;
}

export interface CheckpointView {
  position: number;
  events: number;
  updatedAt: string;
}

export function bodyOf(type: string | null, groupId: string | null): DecidingBody | null {
  if (type === 'coalition') return { type: 'coalition' };
  if (type === 'workingGroup' && groupId) return { type: 'workingGroup', groupId };
  return null;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    position: row.global_position,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamPosition: row.stream_position,
    type: row.type,
    recordedAt: row.recorded_at,
    occurredAt: row.occurred_at,
    actor: { personId: row.actor_person_id, organizationId: row.actor_organization_id, role: row.actor_role },
    organizationId: row.organization_id,
    body: bodyOf(row.body_type, row.body_group_id),
    proposalId: row.proposal_id,
    budgetId: row.budget_id,
    lineId: row.line_id,
    groupId: row.group_id,
    grantCallId: row.grant_call_id,
    summary: row.summary,
    hash: row.hash,
    data: row.data,
  };
}

export function toLineView(row: BudgetLineRow, openQuestions = 0): BudgetLineView {
  return {
    budgetId: row.budget_id,
    lineId: row.line_id,
    name: row.name,
    category: row.category,
    stewardGroupId: row.steward_group_id,
    partnerOrganizationIds: row.partner_organization_ids,
    currency: row.currency,
    allocated: row.allocated,
    committed: row.committed,
    spent: row.spent,
    remaining: row.remaining,
    changes: row.changes,
    createdByProposalId: row.created_by_proposal_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    openQuestions,
  };
}

export function toLineChange(row: BudgetLineHistoryRow, currency: string | null): LineChange {
  return {
    position: row.global_position,
    budgetId: row.budget_id,
    lineId: row.line_id,
    change: row.change,
    amount: row.amount,
    currency,
    after: {
      allocated: row.allocated_after,
      committed: row.committed_after,
      spent: row.spent_after,
      remaining: row.remaining_after,
    },
    description: row.description,
    proposalId: row.proposal_id,
    proposalTitle: row.proposal_title,
    decidedBy: bodyOf(row.decided_by_type, row.decided_by_group_id),
    grantCallId: row.grant_call_id,
    applicationId: row.application_id,
    organizationId: row.organization_id,
    at: row.at,
  };
}

export function toQuestionView(row: BudgetQuestionRow): BudgetQuestionView {
  return {
    budgetId: row.budget_id,
    questionId: row.question_id,
    lineId: row.line_id,
    text: row.text,
    askedBy: { organizationId: row.asked_by_organization_id, personId: row.asked_by_person_id },
    askedAt: row.asked_at,
    status: row.status,
    answer:
      row.status === 'answered' && row.answer !== null
        ? {
            text: row.answer,
            organizationId: row.answered_by_organization_id!,
            personId: row.answered_by_person_id!,
            at: row.answered_at!,
          }
        : null,
    position: row.asked_position,
  };
}

export function toProposalSummary(row: ProposalRow): ProposalSummary {
  const tally: Tally = {
    eligible: row.eligible,
    quorumRequired: row.quorum_required,
    counted: row.counted,
    consent: row.consent,
    concerns: row.concerns,
    standAside: row.stand_aside,
    block: row.block,
    needsReview: row.needs_review,
  };
  return {
    proposalId: row.proposal_id,
    kind: row.kind,
    title: row.title,
    status: row.status,
    revision: row.revision,
    proposer: { personId: row.proposer_person_id, organizationId: row.proposer_organization_id },
    draftedAt: row.drafted_at,
    position: row.drafted_position,
    openedAt: row.opened_at,
    decidingBody: bodyOf(row.deciding_body_type, row.deciding_group_id),
    routingReason: row.routing_reason,
    routingLineId: row.routing_line_id,
    feedbackEndsAt: row.feedback_ends_at,
    round: row.round,
    tally,
    quorum: {
      required: row.quorum_required,
      counted: row.counted,
      met: row.quorum_required > 0 && row.counted >= row.quorum_required,
    },
    outcome:
      row.outcome && row.outcome_reason && row.decided_at
        ? { outcome: row.outcome, reason: row.outcome_reason, decidedAt: row.decided_at }
        : null,
    commentCount: row.comments,
    links: {
      budgetId: row.budget_id,
      lineIds: row.line_ids,
      groupId: row.group_id,
      grantCallId: row.grant_call_id,
      applicationId: row.application_id,
    },
    updatedAt: row.updated_at,
  };
}

export function toStanceView(
  row: ProposalStanceRow,
  currentRevision: number,
  name: string | null,
): StanceView {
  return {
    organizationId: row.organization_id,
    organizationName: name,
    personId: row.person_id,
    stance: row.stance,
    reason: row.reason,
    revision: row.revision,
    needsReview: row.revision !== currentRevision,
    round: row.round,
    at: row.at,
    changes: row.changes,
  };
}
