import { type DomainError, type DomainErrorCode, errorCatalogue } from '@concord/domain';

/**
 * The one catalogue of API errors: every problem the API answers has a stable code from here, an HTTP
 * status and a title a member understands. The domain's refusals are part of it (their titles are the
 * domain's own messages); `satisfies` makes a new domain code without a status a type error.
 */
const domainStatus = {
  INVALID_COMMAND: 400,
  CONTEXT_MISMATCH: 422,

  AUDITOR_READ_ONLY: 403,
  FACILITATOR_NOT_ALLOWED: 403,
  DECISION_EXECUTION_ONLY: 403,
  FACILITATOR_ONLY: 403,
  PEOPLE_ONLY: 403,
  NOT_YOUR_ORGANIZATION: 403,
  NOT_THE_PROPOSER: 403,

  COALITION_ALREADY_FOUNDED: 409,
  COALITION_NOT_FOUNDED: 409,
  INVALID_DECISION_RULES: 422,
  SOP_NOT_FOUND: 404,
  EMPTY_CHANGE: 422,

  ALREADY_A_MEMBER: 409,
  NOT_A_MEMBER: 409,
  ALREADY_A_REPRESENTATIVE: 409,
  INVITATION_NOT_FOUND: 404,
  REPRESENTATIVE_NOT_FOUND: 404,
  PERSON_ALREADY_FORGOTTEN: 409,
  WITNESS_KEY_ALREADY_REGISTERED: 409,
  WITNESS_KEY_NOT_FOUND: 404,
  ALREADY_CONFIRMED: 409,
  ORGANIZATION_IS_REPRESENTED: 409,

  WORKING_GROUP_EXISTS: 409,
  WORKING_GROUP_NOT_FOUND: 404,
  WORKING_GROUP_DISSOLVED: 409,
  ALREADY_IN_WORKING_GROUP: 409,
  NOT_IN_WORKING_GROUP: 409,

  BUDGET_ALREADY_OPEN: 409,
  BUDGET_NOT_FOUND: 404,
  BUDGET_LINE_EXISTS: 409,
  BUDGET_LINE_NOT_FOUND: 404,
  AMOUNT_TOO_LARGE: 422,
  INSUFFICIENT_FUNDS: 422,
  ALLOCATION_BELOW_USE: 422,
  GRANT_ALREADY_COMMITTED: 409,
  GRANT_NOT_COMMITTED: 422,
  DISBURSEMENT_EXCEEDS_COMMITMENT: 422,
  DECISION_ALREADY_EXECUTED: 409,
  QUESTION_EXISTS: 409,
  QUESTION_NOT_FOUND: 404,
  QUESTION_ALREADY_ANSWERED: 409,
  OUTSIDE_MANDATE: 409,
  NOT_A_STEWARD: 403,
  EXPENSE_NEEDS_PROPOSAL: 422,
  EXPENSE_EXISTS: 409,
  EXPENSE_NOT_FOUND: 404,
  EXPENSE_NOT_PENDING: 409,
  EXPENSE_NOT_APPROVED: 409,
  EXPENSE_RECUSED: 403,
  EXPENSE_ALREADY_APPROVED: 409,
  DISBURSEMENT_NOT_TO_GRANTEE: 422,

  GRANT_CALL_EXISTS: 409,
  GRANT_CALL_NOT_FOUND: 404,
  NOT_A_GRANTS_LINE: 422,
  DEADLINE_IN_THE_PAST: 422,
  GRANT_CALL_CLOSED: 409,
  APPLICATION_EXISTS: 409,
  APPLICATION_NOT_FOUND: 404,
  REVIEWER_CONFLICT_OF_INTEREST: 403,
  APPLICATION_NOT_REVIEWED: 422,
  GRANT_ALREADY_AWARDED: 409,
  AWARD_EXCEEDS_REQUEST: 422,
  GRANT_NOT_AWARDED: 422,

  PROPOSAL_EXISTS: 409,
  PROPOSAL_NOT_FOUND: 404,
  PROPOSAL_NOT_DRAFT: 409,
  PROPOSAL_NOT_OPEN: 409,
  PROPOSAL_NOT_EDITABLE: 409,
  PROPOSAL_NOT_ADOPTED: 409,
  PROPOSAL_KIND_CHANGED: 422,
  AMENDMENT_WOULD_REROUTE: 422,
  DECISION_FACTS_REQUIRED: 422,
  COMMENT_EXISTS: 409,
  REASON_REQUIRED: 422,
  NOT_IN_DECIDING_BODY: 403,
  RECUSED: 403,
  URGENT_PATH_NOT_ALLOWED: 422,
  NO_ELIGIBLE_DECIDERS: 422,
  FEEDBACK_WINDOW_OPEN: 409,
  QUORUM_NOT_MET: 409,
  REMINDED_RECENTLY: 429,
  NOBODY_UNDECIDED: 409,
  SCHEDULED_TOO_EARLY: 422,
  TRANSLATED_ITEM_NOT_FOUND: 404,
  TRANSLATION_SAME_LANGUAGE: 422,
  TRANSLATION_TITLE_MISMATCH: 422,
  TRANSLATION_OUTDATED: 409,
  PROPOSAL_WITHDRAWN: 409,
  PARTNER_NOT_ALLOWED: 403,
  PARTNERSHIP_EXISTS: 409,
  PARTNERSHIP_NOT_FOUND: 404,
  NOT_A_PARTY: 403,
  NOT_A_PARTNER: 422,
  ALREADY_A_CONTACT: 409,
  PARTNER_INVITATION_NOT_FOUND: 404,
  CONTACT_NOT_FOUND: 404,
  ROUND_EXISTS: 409,
  ROUND_ALREADY_OPEN: 409,
  ROUND_NOT_FOUND: 404,
  ROUND_CLOSED: 409,
  ROUND_NOT_DUE: 409,
  ROUND_STILL_OPEN: 409,
  ACTION_EXISTS: 409,
  ACTION_NOT_FOUND: 404,
  ALREADY_AGREED: 409,
  ACTION_NOT_AGREED: 409,
  ACTION_FINISHED: 409,
  REFLECTION_EXISTS: 409,
} as const satisfies Record<DomainErrorCode, number>;

/** Problems the API itself raises (transport, people, sessions, idempotency). */
const apiProblems = {
  VALIDATION_FAILED: [
    400,
    'Some of what was sent is missing or not in the expected form; nothing was changed.',
  ],
  MALFORMED_JSON: [400, 'The request body is not valid JSON; nothing was changed.'],
  BAD_REQUEST: [400, 'The request could not be understood; nothing was changed.'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'Send the request body as JSON (Content-Type: application/json).'],
  PAYLOAD_TOO_LARGE: [413, 'The request is too large; nothing was changed.'],
  ROUTE_NOT_FOUND: [404, 'There is no such page or operation.'],
  RESOURCE_NOT_FOUND: [404, 'There is no such record.'],
  PERSON_NOT_FOUND: [404, 'Concord knows no such person: no account and no organization names them.'],
  UNAUTHENTICATED: [401, 'Please sign in first.'],
  SIGN_IN_FAILED: [401, 'The e-mail address or the password is not right.'],
  NO_ROLE: [403, 'Your account has no active role in the coalition, so it cannot see or do this.'],
  FACILITATORS_ONLY: [403, 'Only a facilitator can do this.'],
  NOT_YOUR_SESSION: [404, 'There is no such session among yours.'],
  TOKEN_INVALID: [
    400,
    'This link is not valid any more: it was used already or it expired. Ask for a new one.',
  ],
  PASSWORD_REQUIRED: [400, 'Choose a password to create your account.'],
  ALREADY_SET_UP: [409, 'Concord already has a facilitator; ask them to invite you.'],
  EMAIL_TAKEN: [409, 'An account with this e-mail address already exists.'],
  PERSON_HAS_OTHER_ROLE: [409, 'This person already has another role in Concord (a person has one role).'],
  REPRESENTS_ANOTHER_ORGANIZATION: [409, 'This person already represents another member organization.'],
  NAMES_NOT_FOR_AUDITORS: [
    403,
    'Exports for auditors are pseudonymous: names are for the coalition’s members and its facilitator.',
  ],
  MENTION_NOT_A_READER: [
    422,
    'A person this comment mentions is not someone who may read this proposal (no role in the coalition); nothing was changed.',
  ],
  ATTACHMENT_TOO_LARGE: [
    413,
    'This document is larger than Concord keeps (10 MB unless the server says otherwise); nothing was stored.',
  ],
  ATTACHMENT_TYPE_REFUSED: [
    415,
    'Concord keeps PDF files, images (JPEG, PNG, WebP, GIF, HEIC) and office documents (docx, xlsx, pptx, odt, ods, odp), sent as the type they are; nothing was stored.',
  ],
  ATTACHMENT_ALLOWANCE_USED: [
    429,
    'You have uploaded as much as one person may in a day (twenty documents of the largest size); nothing was stored. Try again tomorrow.',
  ],
  ATTACHMENT_EMPTY: [400, 'No document was sent (the request body is empty); nothing was stored.'],
  ATTACHMENT_NOT_FOUND: [
    422,
    'A document this cites is not stored with that size and type, or is not one you uploaded or may read; upload it first. Nothing was changed.',
  ],
  TOO_MANY_MENTIONS: [422, 'A comment can mention at most 20 people; nothing was changed.'],
  CALENDAR_LINK_NOT_FOUND: [
    404,
    'There is no such calendar link: it was replaced or revoked. Make a new one in your settings.',
  ],
  RATE_LIMITED: [429, 'Too many attempts. Wait a minute and try again.'],
  SIGN_IN_LOCKED: [
    429,
    'Too many failed sign-ins: signing in is paused for a while (the Retry-After header says how long). If you forgot your password, ask for a reset link.',
  ],
  CROSS_SITE_REQUEST: [
    403,
    'This change was sent from a page that is not Concord’s own, so nothing was changed. Open Concord itself and try again.',
  ],
  IDEMPOTENCY_KEY_REUSED: [
    422,
    'This Idempotency-Key was already used for a different request; use a new key for a new request.',
  ],
  IDEMPOTENCY_KEY_IN_PROGRESS: [
    409,
    'The first request with this Idempotency-Key is still being handled; retry shortly.',
  ],
  CONCURRENCY_CONFLICT: [
    409,
    'Many changes arrived at the same moment and this one could not be applied; please retry.',
  ],
  UPGRADE_REQUIRED: [
    426,
    'This address is the live feed: open it as a WebSocket (with the session cookie) and send a resume message.',
  ],
  ORIGIN_NOT_ALLOWED: [403, 'The live feed only accepts connections from Concord’s own pages.'],
  NOT_READY: [503, 'Concord is starting or its database is unreachable; try again shortly.'],
  STORAGE_UNAVAILABLE: [
    503,
    'Concord cannot write to its storage right now (the disk is full or read-only); nothing was changed. Try again later.',
  ],
  LOG_NOT_RUNNING: [
    503,
    'This server keeps no witnessed log (it is not configured to); ask the instance that runs the primary.',
  ],
  CHECKPOINT_NOT_FOUND: [404, 'The log has signed no checkpoint of this size (yet).'],
  PROOF_OUT_OF_RANGE: [
    400,
    'The log cannot prove this: a size is beyond the latest checkpoint, or the sizes are in the wrong order, or the event is not logged yet.',
  ],
  WITNESS_KEY_INVALID: [
    422,
    'This is not a witness verifier key whose key id matches its name and key (name+keyid+base64 of 0x04 and the key).',
  ],
  WITNESS_KEY_NOT_REGISTERED: [
    403,
    'This cosignature is made with a key that no member organization has registered (or it was revoked).',
  ],
  COSIGNATURE_INVALID: [
    422,
    'This cosignature does not verify against the checkpoint of that size; nothing was recorded.',
  ],
  UNSUBSCRIBE_LINK_INVALID: [
    400,
    'This unsubscribe link is not valid (it was cut or changed). Change your mail choices in your settings instead.',
  ],
  INTERNAL: [500, 'Something went wrong on our side; nothing you did caused it. It has been logged.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ApiProblemCode = keyof typeof apiProblems;
export type ProblemCode = ApiProblemCode | DomainErrorCode;

/** Status and member-readable title of every code. */
export const problemCatalogue: Readonly<Record<ProblemCode, { status: number; title: string }>> = {
  ...Object.fromEntries(
    Object.entries(domainStatus).map(([code, status]) => [
      code,
      { status, title: errorCatalogue[code as DomainErrorCode] },
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(apiProblems).map(([code, [status, title]]) => [code, { status, title }]),
  ),
} as Record<ProblemCode, { status: number; title: string }>;

export interface Issue {
  location: string;
  path: string;
  message: string;
}

/** A problem to answer with: thrown anywhere in a request, rendered by the error handler. */
export class ProblemError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly extra: {
      detail?: string;
      details?: Record<string, unknown>;
      issues?: Issue[];
      /** Sent as the Retry-After header (429, 503). */
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(problemCatalogue[code].title);
    this.status = problemCatalogue[code].status;
    this.name = 'ProblemError';
  }

  /** The problem for a domain refusal. */
  static fromDomain(error: DomainError): ProblemError {
    const issues = Array.isArray(error.details?.issues) ? (error.details.issues as Issue[]) : undefined;
    return new ProblemError(error.code, {
      details: error.details && !issues ? { ...error.details } : undefined,
      issues: issues?.map((issue) => ({ location: 'command', path: issue.path, message: issue.message })),
    });
  }
}

export function isProblemCode(code: string): code is ProblemCode {
  return code in problemCatalogue;
}

/** The problem+json body of `error` for a request. */
export function problemBody(
  error: ProblemError,
  request: { url: string; id: string; correlationId?: string },
): Record<string, unknown> {
  const { title } = problemCatalogue[error.code];
  return {
    type: `/api/problems#${error.code}`,
    title,
    status: error.status,
    code: error.code,
    ...(error.extra.detail ? { detail: error.extra.detail } : {}),
    instance: request.url.split('?')[0]?.slice(0, 500),
    requestId: request.id,
    ...(request.correlationId ? { correlationId: request.correlationId } : {}),
    ...(error.extra.details ? { details: error.extra.details } : {}),
    ...(error.extra.issues ? { issues: error.extra.issues } : {}),
  };
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
