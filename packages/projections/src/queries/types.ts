import type {
  DecisionRules,
  Outcome,
  ProposalKind,
  ProposalPayload,
  Recusal,
  Tally,
  TranslatedItem,
} from '@concord/domain';
import { bodyOf } from '../read-models/deciding-body.ts';
import type { DecidingBody } from '../read-models/primitives.ts';
import type { AuditRow, ProposalRow, ProposalStanceRow } from '../schema/tables.ts';

export type {
  BudgetDetail,
  BudgetLineView,
  BudgetSummary,
  LineChange,
  LineChangeKind,
} from '../read-models/budget/schema.ts';
export type { CharterView } from '../read-models/charter/schema.ts';
export type {
  GrantApplicationView,
  GrantCallDetail,
  GrantCallView,
} from '../read-models/grants/schema.ts';
export type { MemberDetail, MemberView, RepresentativeView } from '../read-models/members/schema.ts';
export type { BudgetTotals, DecidingBody } from '../read-models/primitives.ts';
export type { BudgetQuestionView } from '../read-models/questions/schema.ts';
export type {
  GroupMemberView,
  WorkingGroupDetail,
  WorkingGroupView,
} from '../read-models/working-groups/schema.ts';

// The read-model contract: what the API and the portal show. Money is an integer number of minor units
// with its currency beside it; times are ISO-8601 strings; positions are the store's global positions.

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
}

export interface CheckpointView {
  position: number;
  events: number;
  updatedAt: string;
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
