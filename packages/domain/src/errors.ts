/**
 * The one catalogue of domain errors. Codes are stable (clients and translations key on them);
 * each message says, in words a member would understand, what was wrong.
 */
export const errorCatalogue = {
  // The request itself
  INVALID_COMMAND: 'The request is incomplete or malformed; nothing was changed.',
  CONTEXT_MISMATCH: 'The facts supplied with this request do not belong to it; nothing was changed.',

  // Who may do what
  AUDITOR_READ_ONLY: 'Auditors can read and verify everything but cannot change anything.',
  FACILITATOR_NOT_ALLOWED:
    'Facilitators invite, schedule and propose; they cannot speak for an organization or move money.',
  DECISION_EXECUTION_ONLY: 'This changes only when an adopted decision is executed, never by hand.',
  FACILITATOR_ONLY: "This is the facilitator's task (the coalition's secretariat), not a member's.",
  PEOPLE_ONLY: 'This is done by a person, not by an automatic process step.',
  NOT_YOUR_ORGANIZATION: 'You can only do this for the organization you represent.',
  NOT_THE_PROPOSER: 'Only the people who made this proposal can do this.',

  // Charter
  COALITION_ALREADY_FOUNDED: 'The coalition has already been founded.',
  COALITION_NOT_FOUNDED: 'The coalition has not been founded yet.',
  INVALID_DECISION_RULES:
    'These decision rules cannot work: a threshold must be at most one whole, and the urgent path must be shorter than the normal feedback window.',
  SOP_NOT_FOUND: 'There is no such operating procedure in the charter.',
  EMPTY_CHANGE: 'This proposal changes nothing.',

  // Members
  ALREADY_A_MEMBER: 'This organization is already a member of the coalition.',
  NOT_A_MEMBER: 'This organization is not a member of the coalition.',
  ALREADY_A_REPRESENTATIVE: 'This person already represents the organization or has been invited to.',
  INVITATION_NOT_FOUND: 'There is no open invitation for you to represent this organization.',
  REPRESENTATIVE_NOT_FOUND: 'This person does not represent the organization and has no pending invitation.',
  ALREADY_CONFIRMED: 'The organization has already confirmed this person.',
  ORGANIZATION_IS_REPRESENTED:
    'This organization has representatives of its own: only they decide who represents it.',

  // People
  PERSON_ALREADY_FORGOTTEN: 'This person has already been forgotten.',

  // Witnesses of the log
  WITNESS_KEY_ALREADY_REGISTERED: 'Your organization has already registered this witness key.',
  WITNESS_KEY_NOT_FOUND: 'Your organization has no such witness key in force.',

  // Working groups
  WORKING_GROUP_EXISTS: 'A working group with this id already exists.',
  WORKING_GROUP_NOT_FOUND: 'There is no such working group.',
  WORKING_GROUP_DISSOLVED: 'This working group has been dissolved.',
  ALREADY_IN_WORKING_GROUP: 'Your organization is already in this working group.',
  NOT_IN_WORKING_GROUP: 'This organization is not in the working group.',

  // Budget
  BUDGET_ALREADY_OPEN: 'This budget has already been opened.',
  BUDGET_NOT_FOUND: 'There is no such budget; an opening budget must be decided first.',
  BUDGET_LINE_EXISTS: 'A budget line with this id already exists.',
  BUDGET_LINE_NOT_FOUND: 'There is no such budget line.',
  AMOUNT_TOO_LARGE:
    'This would take an amount or the budget past the largest sum Concord keeps (10^15 minor units).',
  INSUFFICIENT_FUNDS: 'The budget line does not have enough uncommitted money for this.',
  ALLOCATION_BELOW_USE: 'A line cannot be reduced below what is already committed or spent on it.',
  GRANT_ALREADY_COMMITTED: 'Money has already been committed for this grant.',
  GRANT_NOT_COMMITTED: 'No money has been committed for this grant on this line.',
  DISBURSEMENT_EXCEEDS_COMMITMENT: 'This would pay out more than was committed for the grant.',
  DECISION_ALREADY_EXECUTED: 'This decision has already been executed; it is applied only once.',
  QUESTION_EXISTS: 'A question with this id already exists.',
  QUESTION_NOT_FOUND: 'There is no such question on this budget.',
  QUESTION_ALREADY_ANSWERED: 'This question has already been answered.',
  OUTSIDE_MANDATE:
    "This working group's mandate no longer covers this decision (its lines, or its limits with what it already moved); it goes to the full coalition.",
  EXPENSE_NEEDS_PROPOSAL:
    "This expense cannot be approved by the line's stewarding group (the full coalition stewards the line, the group has no expense policy, the amount is above its policy, or too few organizations could approve it): propose it as a budget change.",
  EXPENSE_EXISTS: 'An expense with this id already exists.',
  EXPENSE_NOT_FOUND: 'There is no such expense on this budget.',
  EXPENSE_NOT_PENDING: 'This expense is no longer waiting for approval.',
  EXPENSE_NOT_APPROVED: 'Only an approved expense can be recorded as paid.',
  EXPENSE_RECUSED:
    'The organization that submitted an expense, or is paid by it, does not approve or reject it.',
  EXPENSE_ALREADY_APPROVED: 'Your organization has already approved this expense.',
  DISBURSEMENT_NOT_TO_GRANTEE:
    'A grant disbursement pays the organization the grant was awarded to, and no one else.',
  NOT_A_STEWARD: 'Only the working group that stewards this budget line can do this.',

  // Grants
  GRANT_CALL_EXISTS: 'A grant call with this id already exists.',
  GRANT_CALL_NOT_FOUND: 'There is no such grant call.',
  NOT_A_GRANTS_LINE: 'A grant call must draw on a budget line of the grants category.',
  DEADLINE_IN_THE_PAST: 'The deadline must be in the future.',
  GRANT_CALL_CLOSED: 'The deadline of this grant call has passed.',
  APPLICATION_EXISTS: 'This application, or another one from the same organization, is already in this call.',
  APPLICATION_NOT_FOUND: 'There is no such application in this grant call.',
  REVIEWER_CONFLICT_OF_INTEREST: 'An organization cannot review its own application.',
  APPLICATION_NOT_REVIEWED: 'An application must be reviewed before an award can be proposed.',
  GRANT_ALREADY_AWARDED: 'This application has already been awarded a grant.',
  AWARD_EXCEEDS_REQUEST: 'An award cannot be larger than the amount requested.',
  GRANT_NOT_AWARDED: 'This application has not been awarded a grant.',

  // Proposals
  PROPOSAL_EXISTS: 'A proposal with this id already exists.',
  PROPOSAL_NOT_FOUND: 'There is no such proposal.',
  PROPOSAL_NOT_DRAFT: 'This can only be done while the proposal is a draft.',
  PROPOSAL_NOT_OPEN: 'This proposal is not open for feedback.',
  PROPOSAL_NOT_EDITABLE: 'This proposal has been decided or withdrawn and can no longer change.',
  PROPOSAL_NOT_ADOPTED: 'Only an adopted proposal can be executed.',
  PROPOSAL_KIND_CHANGED:
    'An amendment cannot change what kind of proposal this is; withdraw it and propose again.',
  AMENDMENT_WOULD_REROUTE:
    'This amendment would change who decides; withdraw the proposal and open a new one instead.',
  DECISION_FACTS_REQUIRED: 'Changing what an open proposal does needs the current facts to check it again.',
  COMMENT_EXISTS: 'A comment with this id already exists.',
  REASON_REQUIRED: 'Concerns, standing aside and blocking each need a reason that others can read.',
  NOT_IN_DECIDING_BODY: 'Your organization is not part of the body that decides this proposal.',
  RECUSED: 'Your organization would receive money from this proposal, so it can comment but takes no stance.',
  URGENT_PATH_NOT_ALLOWED: 'The charter does not allow an urgent path.',
  NO_ELIGIBLE_DECIDERS:
    'Nobody could decide this proposal: the deciding body has no member without a conflict of interest.',
  FEEDBACK_WINDOW_OPEN: 'The minimum feedback window has not passed yet.',
  QUORUM_NOT_MET: 'Not enough organizations have given a stance yet to reach the quorum.',
  REMINDED_RECENTLY:
    'The organizations without a stance were reminded of this proposal less than a day ago; remind them again tomorrow.',
  NOBODY_UNDECIDED: 'Every organization of the deciding body has taken a stance on the current text.',
  SCHEDULED_TOO_EARLY: 'A decision cannot be scheduled before the feedback window ends.',
  TRANSLATED_ITEM_NOT_FOUND: 'There is no such comment or stance reason on this proposal to translate.',
  TRANSLATION_SAME_LANGUAGE: 'A translation must be into another language than the original.',
  TRANSLATION_TITLE_MISMATCH:
    'A translation of a proposal translates its title too; a comment or a stance reason has no title.',
  TRANSLATION_OUTDATED: 'The original has changed since you started: translate the current version.',
  PROPOSAL_WITHDRAWN: 'This proposal was withdrawn; it is no longer translated.',

  // Partnerships
  PARTNER_NOT_ALLOWED:
    "Partners take part in their partnership (check-ins, actions, shared learning); the coalition's own matters are its members'.",
  PARTNERSHIP_EXISTS: 'A partnership with this id already exists.',
  PARTNERSHIP_NOT_FOUND: 'There is no such partnership.',
  NOT_A_PARTY:
    'Only the parties of this partnership take part in it: its member organizations and its partners.',
  NOT_A_PARTNER: 'This organization is not a party to the partnership.',
  ALREADY_A_CONTACT: 'This person already takes part in the partnership or has been invited to.',
  PARTNER_INVITATION_NOT_FOUND: 'There is no open invitation for you to take part in this partnership.',
  CONTACT_NOT_FOUND: 'This person takes no part in the partnership.',
  ROUND_EXISTS: 'A check-in round with this id already exists.',
  ROUND_ALREADY_OPEN: 'A check-in round is already open; close it before opening another.',
  ROUND_NOT_FOUND: 'There is no such check-in round in this partnership.',
  ROUND_CLOSED: 'This check-in round has closed; its answers can no longer change.',
  ROUND_NOT_DUE: 'This check-in round is still open until its closing time.',
  ROUND_STILL_OPEN: 'Actions answer the results of a closed round; this one is still open.',
  ACTION_EXISTS: 'An action with this id already exists.',
  ACTION_NOT_FOUND: 'There is no such action in this partnership.',
  ALREADY_AGREED: 'Your party has already agreed to this action.',
  ACTION_NOT_AGREED: 'Every party must agree to an action before it is followed up.',
  ACTION_FINISHED: 'This action is done or was dropped; it is not followed up any more.',
  REFLECTION_EXISTS: 'A reflection with this id already exists.',
} as const satisfies Record<string, string>;

/** A stable error code from the catalogue. */
export type DomainErrorCode = keyof typeof errorCatalogue;

/** A refused command: a stable code, a member-readable message and optional facts for the screen. */
export interface DomainError {
  readonly code: DomainErrorCode;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Builds the catalogue error for `code`, with optional details (ids, amounts) for the reader. */
export function domainError(code: DomainErrorCode, details?: Record<string, unknown>): DomainError {
  return details === undefined
    ? { code, message: errorCatalogue[code] }
    : { code, message: errorCatalogue[code], details };
}

/** Whether a decider's answer is a refusal rather than events. */
export function isDomainError(value: unknown): value is DomainError {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in errorCatalogue
  );
}
