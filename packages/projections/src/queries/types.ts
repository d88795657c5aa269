import { bodyOf } from '../read-models/deciding-body.ts';
import type { DecidingBody } from '../read-models/primitives.ts';
import type { AuditRow } from '../schema/tables.ts';

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
export type {
  ProposalDetail,
  ProposalStatus,
  ProposalSummary,
  StanceView,
  TranslationView,
} from '../read-models/proposals/schema.ts';
export type { BudgetQuestionView } from '../read-models/questions/schema.ts';
export type {
  GroupMemberView,
  WorkingGroupDetail,
  WorkingGroupView,
} from '../read-models/working-groups/schema.ts';

// The read-model contract: what the API and the portal show. Money is an integer number of minor units
// with its currency beside it; times are ISO-8601 strings; positions are the store's global positions.

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
