// The API's refusals in the reader's language: each catalogue code the portal knows has a message;
// for any other, the API's own title (English) is shown. Runs on the server only, so none of these
// strings ship to the browser.
import { m } from '$lib/paraglide/messages.js';
import type { Problem } from './api';

const messages: Record<string, () => string> = {
  VALIDATION_FAILED: m.problem_validation_failed,
  UNAUTHENTICATED: m.problem_unauthenticated,
  SIGN_IN_FAILED: m.problem_sign_in_failed,
  NO_ROLE: m.problem_no_role,
  FACILITATORS_ONLY: m.problem_facilitators_only,
  TOKEN_INVALID: m.problem_token_invalid,
  PASSWORD_REQUIRED: m.problem_password_required,
  ALREADY_SET_UP: m.problem_already_set_up,
  EMAIL_TAKEN: m.problem_email_taken,
  PERSON_HAS_OTHER_ROLE: m.problem_person_has_other_role,
  REPRESENTS_ANOTHER_ORGANIZATION: m.problem_represents_another_organization,
  RATE_LIMITED: m.problem_rate_limited,
  CONCURRENCY_CONFLICT: m.problem_concurrency_conflict,
  NOT_READY: m.problem_not_ready,
  INTERNAL: m.problem_internal,
  RESOURCE_NOT_FOUND: m.problem_resource_not_found,
  NOT_YOUR_SESSION: m.problem_not_your_session,
  IDEMPOTENCY_KEY_IN_PROGRESS: m.problem_idempotency_key_in_progress,
  AUDITOR_READ_ONLY: m.problem_auditor_read_only,
  FACILITATOR_NOT_ALLOWED: m.problem_facilitator_not_allowed,
  NOT_YOUR_ORGANIZATION: m.problem_not_your_organization,
  NOT_THE_PROPOSER: m.problem_not_the_proposer,
  COALITION_ALREADY_FOUNDED: m.problem_coalition_already_founded,
  COALITION_NOT_FOUNDED: m.problem_coalition_not_founded,
  INVALID_DECISION_RULES: m.problem_invalid_decision_rules,
  EMPTY_CHANGE: m.problem_empty_change,
  ALREADY_A_MEMBER: m.problem_already_a_member,
  NOT_A_MEMBER: m.problem_not_a_member,
  ALREADY_A_REPRESENTATIVE: m.problem_already_a_representative,
  INVITATION_NOT_FOUND: m.problem_invitation_not_found,
  REPRESENTATIVE_NOT_FOUND: m.problem_representative_not_found,
  ALREADY_CONFIRMED: m.problem_already_confirmed,
  ORGANIZATION_IS_REPRESENTED: m.problem_organization_is_represented,
  AMOUNT_TOO_LARGE: m.problem_amount_too_large,
  PROPOSAL_KIND_CHANGED: m.problem_proposal_kind_changed,
  ALREADY_IN_WORKING_GROUP: m.problem_already_in_working_group,
  NOT_IN_WORKING_GROUP: m.problem_not_in_working_group,
  WORKING_GROUP_NOT_FOUND: m.problem_working_group_not_found,
  WORKING_GROUP_DISSOLVED: m.problem_working_group_dissolved,
  BUDGET_NOT_FOUND: m.problem_budget_not_found,
  BUDGET_ALREADY_OPEN: m.problem_budget_already_open,
  BUDGET_LINE_NOT_FOUND: m.problem_budget_line_not_found,
  INSUFFICIENT_FUNDS: m.problem_insufficient_funds,
  ALLOCATION_BELOW_USE: m.problem_allocation_below_use,
  QUESTION_ALREADY_ANSWERED: m.problem_question_already_answered,
  NOT_A_STEWARD: m.problem_not_a_steward,
  NOT_A_GRANTS_LINE: m.problem_not_a_grants_line,
  DEADLINE_IN_THE_PAST: m.problem_deadline_in_the_past,
  GRANT_CALL_CLOSED: m.problem_grant_call_closed,
  APPLICATION_EXISTS: m.problem_application_exists,
  REVIEWER_CONFLICT_OF_INTEREST: m.problem_reviewer_conflict_of_interest,
  APPLICATION_NOT_REVIEWED: m.problem_application_not_reviewed,
  GRANT_ALREADY_AWARDED: m.problem_grant_already_awarded,
  AWARD_EXCEEDS_REQUEST: m.problem_award_exceeds_request,
  DISBURSEMENT_EXCEEDS_COMMITMENT: m.problem_disbursement_exceeds_commitment,
  PROPOSAL_NOT_FOUND: m.problem_proposal_not_found,
  PROPOSAL_NOT_DRAFT: m.problem_proposal_not_draft,
  PROPOSAL_NOT_OPEN: m.problem_proposal_not_open,
  PROPOSAL_NOT_EDITABLE: m.problem_proposal_not_editable,
  AMENDMENT_WOULD_REROUTE: m.problem_amendment_would_reroute,
  REASON_REQUIRED: m.problem_reason_required,
  NOT_IN_DECIDING_BODY: m.problem_not_in_deciding_body,
  RECUSED: m.problem_recused,
  URGENT_PATH_NOT_ALLOWED: m.problem_urgent_path_not_allowed,
  NO_ELIGIBLE_DECIDERS: m.problem_no_eligible_deciders,
  FEEDBACK_WINDOW_OPEN: m.problem_feedback_window_open,
  QUORUM_NOT_MET: m.problem_quorum_not_met,
  SCHEDULED_TOO_EARLY: m.problem_scheduled_too_early,
};

/** What went wrong, for the person reading: translated when the code is known. */
export function problemMessage(problem: Pick<Problem, 'status' | 'code' | 'title'>): string {
  if (problem.code === 'UNREACHABLE') return m.problem_unreachable();
  const message = messages[problem.code];
  if (message) return message();
  return problem.title ?? m.problem_unexpected({ status: String(problem.status) });
}
