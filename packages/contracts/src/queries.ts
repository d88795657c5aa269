import {
  decisionRulesSchema,
  mandateSchema,
  memberProfileSchema,
  outcomeSchema,
  proposalPayloadSchema,
  recusalSchema,
  routingSchema,
} from '@concord/domain';
import {
  auditEntrySchema,
  budgetDetailSchema,
  budgetSummarySchema,
  charterViewSchema,
  expenseStatusSchema,
  expenseViewSchema,
  grantCallDetailSchema,
  grantCallViewSchema,
  lineChangeSchema,
  memberDetailSchema,
  memberViewSchema,
  proposalDetailSchema,
  proposalSummarySchema,
  questionViewSchema,
  workingGroupDetailSchema,
  workingGroupViewSchema,
} from '@concord/projections/schemas';
import { iso, money, totals } from '@concord/projections/schemas/primitives';
import { z } from 'zod';
import { idParam, positionQuery, timestamp } from './primitives.ts';
import { route } from './route.ts';

// Read-model views, as @concord/projections answers them: each read model's folder holds the zod schema of
// what it returns (`@concord/projections/schemas`); this file re-exports them and adds the routes.
export * from '@concord/projections/schemas';

export const asOfPoint = z
  .object({ position: z.int(), recordedAt: iso.nullable() })
  .describe('the last event the view includes');

export const budgetAsOfSchema = z
  .object({
    asOf: asOfPoint,
    budgetId: z.string(),
    name: z.string(),
    currency: z.string(),
    fiscalPeriod: z.object({ start: z.string(), end: z.string() }),
    totals: z.object(totals),
    lines: z.array(
      z.object({
        ...totals,
        lineId: z.string(),
        name: z.string(),
        category: z.string(),
        stewardGroupId: z.string().nullable(),
        partnerOrganizationIds: z.array(z.string()),
      }),
    ),
    grantCommitments: z.array(
      z.object({
        grantCallId: z.string(),
        applicationId: z.string(),
        lineId: z.string(),
        recipientOrganizationId: z.string(),
        committed: money,
        disbursed: money,
      }),
    ),
    questions: z.array(
      z.object({
        questionId: z.string(),
        lineId: z.string(),
        text: z.string(),
        askedAt: iso,
        answered: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'BudgetAsOf' });

export const membersAsOfSchema = z
  .object({
    asOf: asOfPoint,
    members: z.array(
      z.object({
        organizationId: z.string(),
        name: z.string(),
        status: z.enum(['member', 'departed']),
        admission: z.enum(['founding', 'decision']),
        representatives: z.array(
          z.object({
            personId: z.string(),
            status: z.enum(['invited', 'awaitingConfirmation', 'active']),
          }),
        ),
        profile: memberProfileSchema.nullable(),
      }),
    ),
  })
  .meta({ id: 'MembersAsOf' });

export const workingGroupAsOfSchema = z
  .object({
    asOf: asOfPoint,
    groupId: z.string(),
    name: z.string(),
    purpose: z.string(),
    status: z.enum(['active', 'dissolved']),
    mandate: mandateSchema,
    leadOrganizationIds: z.array(z.string()),
    members: z.array(z.object({ organizationId: z.string(), hoursPerMonth: z.int(), isLead: z.boolean() })),
  })
  .meta({ id: 'WorkingGroupAsOf' });

export const proposalAsOfSchema = z
  .object({
    asOf: asOfPoint,
    proposalId: z.string(),
    title: z.string(),
    body: z.string(),
    payload: proposalPayloadSchema,
    status: z.string(),
    revision: z.int(),
    round: z.int(),
    proposer: z.object({ personId: z.string(), organizationId: z.string().nullable() }),
    routing: routingSchema.nullable(),
    rules: decisionRulesSchema.nullable(),
    memberIds: z.array(z.string()),
    recusals: z.array(recusalSchema),
    feedbackEndsAt: iso.nullable(),
    stances: z.array(
      z.object({
        organizationId: z.string(),
        personId: z.string(),
        stance: z.string(),
        reason: z.string().nullable(),
        revision: z.int(),
        needsReview: z.boolean(),
        at: iso,
      }),
    ),
    outcome: outcomeSchema.nullable(),
  })
  .meta({ id: 'ProposalAsOf' });

// ---- query parameters -------------------------------------------------------------------------------

const limit = z.coerce.number().int().min(1).max(1000);

/** A moment of history: a global position or a time, exactly one of them. */
export const asOfQuery = z
  .object({
    position: positionQuery.optional().describe('everything up to and including this global position'),
    time: timestamp.optional().describe('everything recorded up to this time'),
  })
  .refine((query) => (query.position === undefined) !== (query.time === undefined), {
    message: 'give exactly one of position and time',
  });

export const proposalsQuery = z.object({
  status: z
    .enum(['draft', 'open', 'adopted', 'notAdopted', 'withdrawn', 'executed', 'executionFailed'])
    .optional(),
  kind: z
    .enum(['budgetChange', 'grantAward', 'charterChange', 'membershipChange', 'workingGroup'])
    .optional(),
  body: idParam.optional().describe('`coalition`, or a working group id'),
  proposer: idParam.optional().describe('a person or an organization id'),
  budgetId: idParam.optional(),
  lineId: idParam.optional(),
  groupId: idParam.optional(),
  grantCallId: idParam.optional(),
  before: positionQuery.optional().describe('paging: proposals drafted before this position (newest first)'),
  limit: limit.optional(),
});

export const auditQuery = z.object({
  actor: idParam.optional().describe('a person id'),
  organization: idParam.optional().describe('an organization acting or concerned'),
  body: idParam.optional().describe('`coalition`, or a working group id'),
  proposal: idParam.optional(),
  budget: idParam.optional(),
  line: idParam.optional().describe('a budget line id'),
  type: z
    .string()
    .regex(/^[A-Za-z]{1,100}$/)
    .optional()
    .describe('an event type, e.g. StanceTaken'),
  from: timestamp.optional(),
  to: timestamp.optional(),
  after: positionQuery.optional().describe('paging: entries after this global position (oldest first)'),
  order: z
    .enum(['oldest', 'newest'])
    .optional()
    .describe('`oldest` first (the default, paged with `after`) or `newest` first (paged with `before`)'),
  before: positionQuery.optional().describe('paging, newest first: entries before this global position'),
  limit: limit.optional(),
});

/** A moment an export starts or ends at: a global position (a whole number) or an ISO instant. */
const exportMoment = z
  .union([timestamp, z.string().regex(/^\d{1,16}$/, 'a global position')])
  // Converted after the union, not inside it: a transform inside would drop the position from the
  // OpenAPI document's input schema.
  .transform((moment): string | number => (/^\d+$/.test(moment) ? Number(moment) : moment))
  .describe('a global position (a whole number) or an ISO-8601 instant');

export const exportQuery = auditQuery
  .omit({ from: true, to: true, after: true, limit: true, order: true, before: true })
  .extend({
    format: z
      .enum(['jsonl', 'csv', 'tar'])
      .describe(
        '`jsonl`: every event as stored, lossless; `csv`: the audit trail for spreadsheets; `tar`: ' +
          '`events.jsonl` with the documents the events cite (`attachments/<sha256>`), those you may read',
      ),
    names: z
      .enum(['pseudonymous', 'included'])
      .default('pseudonymous')
      .describe(
        'csv only: `included` fills `actor_name` from the personal-data store, for members and the facilitator (never auditors); the default says "(pseudonymous export)" on every row. Events carry ids only, so `jsonl` is always pseudonymous.',
      ),
    from: exportMoment.optional().describe('from this position or time, inclusive'),
    to: exportMoment.optional().describe('up to this position or time, inclusive'),
  })
  .refine(
    (query) =>
      query.format === 'csv' ||
      [
        query.actor,
        query.organization,
        query.body,
        query.proposal,
        query.budget,
        query.line,
        query.type,
      ].every((filter) => filter === undefined),
    {
      message:
        'a JSONL export holds every event in its range so that it can be verified; filters apply to the CSV audit trail only',
    },
  )
  .refine((query) => query.format === 'csv' || query.names === 'pseudonymous', {
    message: 'events carry ids only: names can be included in the CSV audit trail only',
  });

/**
 * A replay check run over the API: every read model rebuilt from the events into a scratch copy and
 * compared row by row with the live ones, at the same position. One runs at a time.
 */
export const replayCheckSchema = z
  .object({
    replayId: z.string(),
    startedAt: iso,
    startedBy: z.string().describe('person id of whoever asked'),
    state: z.enum(['running', 'identical', 'different', 'failed']),
    progress: z.object({ done: z.int(), total: z.int() }).describe('events replayed of the estimated total'),
    position: z.int().nullable().describe('the position the two were compared at, once known'),
    finishedAt: iso.nullable(),
    differences: z
      .array(
        z.object({
          table: z.string(),
          rows: z.object({ live: z.int(), replay: z.int() }),
          onlyLive: z.array(z.record(z.string(), z.unknown())),
          onlyReplay: z.array(z.record(z.string(), z.unknown())),
        }),
      )
      .describe('the first differing rows of each table (none when identical)'),
    error: z.string().nullable(),
  })
  .meta({ id: 'ReplayCheck' });
export type ReplayCheck = z.infer<typeof replayCheckSchema>;

/** Who is who: the names behind the person ids in the trail, stances and comments (no e-mail addresses). */
export const peopleSchema = z
  .object({
    people: z.array(
      z.object({
        personId: z.string(),
        name: z.string(),
        staffRole: z.enum(['facilitator', 'auditor']).nullable(),
        organizationId: z
          .string()
          .nullable()
          .describe('the member organization they were invited to represent'),
      }),
    ),
  })
  .meta({ id: 'People' });

/** A bad effect of a decision: missing, altered or written with no adopted decision behind it. */
export const effectProblemSchema = z
  .object({
    kind: z.enum(['missing', 'altered', 'extra']),
    position: z
      .int()
      .describe('global position of the event that shows it (for missing: where the run ended)'),
    eventId: z.string(),
    type: z.string().describe("the event's type; for missing, the type of the event that should be there"),
    streamId: z.string(),
    decisionEventId: z.string().nullable().describe('the ProposalDecided it cites, if any'),
    reason: z.string(),
  })
  .meta({ id: 'EffectProblem' });

/** Every effect recomputed from the adopted decision it cites (the domain's `checkEffects`). */
export const effectReportSchema = z
  .object({
    ok: z.boolean(),
    decisions: z.int().describe('adopted decisions seen'),
    effects: z.int().describe('events checked as effects of a decision'),
    problemCount: z.int(),
    firstProblem: effectProblemSchema.nullable(),
    problems: z.array(effectProblemSchema).describe('the first problems, in history order'),
  })
  .meta({ id: 'EffectReport' });

/** Every document the history cites, checked against its stored bytes (ADR 0025). */
export const attachmentReportSchema = z
  .object({
    ok: z.boolean(),
    documents: z.int().describe('distinct documents checked'),
    citations: z.int().describe('citations seen'),
    problemCount: z.int(),
    problems: z
      .array(
        z.object({
          sha256: z.string(),
          problem: z.enum(['attachment_missing', 'attachment_altered']),
          eventId: z.string(),
          type: z.string(),
          streamId: z.string(),
          streamPosition: z.int(),
          globalPosition: z.int(),
        }),
      )
      .describe('the first problems, each with the first event citing the document'),
  })
  .meta({ id: 'AttachmentReport' });

/** The tamper-evidence check of the whole store (the event store's `verify`). */
export const verificationSchema = z
  .discriminatedUnion('ok', [
    z.object({
      ok: z.literal(true),
      events: z.int(),
      headHash: z
        .string()
        .describe('digest over every event hash in order: note it to detect later rewrites'),
      headPosition: z.int(),
      effects: effectReportSchema.describe(
        'effects checked against decisions: ok can be true with effects.ok false',
      ),
      attachments: attachmentReportSchema.nullable().describe('cited documents checked (null: not checked)'),
    }),
    z.object({
      ok: z.literal(false),
      events: z.int(),
      firstBad: z.object({
        streamId: z.string(),
        streamPosition: z.int(),
        globalPosition: z.int().nullable(),
        problem: z.enum([
          'hash_mismatch',
          'missing_event',
          'unexpected_event',
          'order',
          'stream_head_mismatch',
          'attachment_missing',
          'attachment_altered',
        ]),
        detail: z.string(),
      }),
      effects: effectReportSchema.nullable().describe('not checked (null) when the chain is broken'),
      attachments: attachmentReportSchema
        .nullable()
        .describe('not checked (null) when the chain is broken; a bad document fails the verification'),
    }),
  ])
  .meta({ id: 'Verification' });

export const lineHistoryQuery = z.object({ after: positionQuery.optional(), limit: limit.optional() });
export const questionsQuery = z.object({
  lineId: idParam.optional(),
  status: z.enum(['open', 'answered']).optional(),
});

export const expensesQuery = z.object({
  lineId: idParam.optional(),
  status: expenseStatusSchema.optional(),
});

const params = <Shape extends Record<string, typeof idParam>>(shape: Shape) => z.strictObject(shape);

/** Queries over the read models and "as of" views: every signed-in member and auditor reads everything. */
export const queryRoutes = {
  status: route({
    method: 'GET',
    path: '/api/status',
    summary: 'How far the read models are: their position and the store’s head',
    tag: 'queries',
    access: 'reader',
    status: 200,
    response: z
      .object({
        head: z.int(),
        projected: z.int(),
        events: z.int(),
        effects: z
          .object({
            checked: z.int().describe('global position the effect check has reached'),
            problemCount: z.int(),
            firstProblem: effectProblemSchema.nullable(),
          })
          .nullable()
          .describe('bad effects of decisions seen so far: members are warned; null where no check runs'),
      })
      .meta({ id: 'ReadStatus' }),
  }),
  charter: route({
    method: 'GET',
    path: '/api/coalition',
    summary: 'The charter: decision rules, shared values, procedures, and their history',
    tag: 'charter',
    access: 'reader',
    status: 200,
    response: charterViewSchema,
  }),
  members: route({
    method: 'GET',
    path: '/api/members',
    summary: 'Member organizations',
    tag: 'members',
    access: 'reader',
    status: 200,
    response: z.object({ members: z.array(memberViewSchema) }),
  }),
  member: route({
    method: 'GET',
    path: '/api/members/:organizationId',
    summary: 'A member organization: profile, representatives, working-group commitments',
    tag: 'members',
    access: 'reader',
    params: params({ organizationId: idParam }),
    status: 200,
    response: memberDetailSchema,
  }),
  workingGroups: route({
    method: 'GET',
    path: '/api/working-groups',
    summary: 'Working groups',
    tag: 'working groups',
    access: 'reader',
    status: 200,
    response: z.object({ workingGroups: z.array(workingGroupViewSchema) }),
  }),
  workingGroup: route({
    method: 'GET',
    path: '/api/working-groups/:groupId',
    summary: 'A working group: mandate, leads, members and their time',
    tag: 'working groups',
    access: 'reader',
    params: params({ groupId: idParam }),
    status: 200,
    response: workingGroupDetailSchema,
  }),
  budgets: route({
    method: 'GET',
    path: '/api/budgets',
    summary: 'Budgets with their totals',
    tag: 'budget',
    access: 'reader',
    status: 200,
    response: z.object({ budgets: z.array(budgetSummarySchema) }),
  }),
  budget: route({
    method: 'GET',
    path: '/api/budgets/:budgetId',
    summary: 'A budget and every line of it',
    tag: 'budget',
    access: 'reader',
    params: params({ budgetId: idParam }),
    status: 200,
    response: budgetDetailSchema,
  }),
  lineHistory: route({
    method: 'GET',
    path: '/api/budgets/:budgetId/lines/:lineId/history',
    summary: 'Every change of a line: who proposed, who decided, by how much',
    tag: 'budget',
    access: 'reader',
    params: params({ budgetId: idParam, lineId: idParam }),
    querystring: lineHistoryQuery,
    status: 200,
    response: z.object({ changes: z.array(lineChangeSchema) }),
  }),
  budgetCsv: route({
    method: 'GET',
    path: '/api/budgets/:budgetId/budget.csv',
    summary: "Downloads a budget as CSV: each line's figures, then every change with what made it",
    description:
      'A `line` row per line (allocated, committed, spent, paid, remaining now), then a `change` row per change of a line with the figures after it, the global position of the event that made it and the adopted proposal, approved expense or grant behind it.',
    tag: 'budget',
    access: 'reader',
    params: params({ budgetId: idParam }),
    status: 200,
    contentType: 'text/csv',
    response: z.string().describe('CSV text, streamed'),
  }),
  questions: route({
    method: 'GET',
    path: '/api/budgets/:budgetId/questions',
    summary: 'Questions raised on the lines of a budget',
    tag: 'budget',
    access: 'reader',
    params: params({ budgetId: idParam }),
    querystring: questionsQuery,
    status: 200,
    response: z.object({ questions: z.array(questionViewSchema) }),
  }),
  expenses: route({
    method: 'GET',
    path: '/api/budgets/:budgetId/expenses',
    summary: 'Expenses submitted against the lines of a budget, oldest first',
    tag: 'budget',
    access: 'reader',
    params: params({ budgetId: idParam }),
    querystring: expensesQuery,
    status: 200,
    response: z.object({ expenses: z.array(expenseViewSchema) }),
  }),
  expense: route({
    method: 'GET',
    path: '/api/budgets/:budgetId/expenses/:expenseId',
    summary: 'One expense: its receipts, approvals and where it stands',
    tag: 'budget',
    access: 'reader',
    params: params({ budgetId: idParam, expenseId: idParam }),
    status: 200,
    response: expenseViewSchema,
  }),
  proposals: route({
    method: 'GET',
    path: '/api/proposals',
    summary: 'Proposals, newest first, filtered and paged by position',
    tag: 'proposals',
    access: 'reader',
    querystring: proposalsQuery,
    status: 200,
    response: z.object({ proposals: z.array(proposalSummarySchema), next: z.int().nullable() }),
  }),
  proposal: route({
    method: 'GET',
    path: '/api/proposals/:proposalId',
    summary: 'A proposal: text, revisions, stances, recusals, comments, and its outcome now',
    tag: 'proposals',
    access: 'reader',
    params: params({ proposalId: idParam }),
    status: 200,
    response: proposalDetailSchema,
  }),
  grantCalls: route({
    method: 'GET',
    path: '/api/grant-calls',
    summary: 'Grant calls',
    tag: 'grants',
    access: 'reader',
    status: 200,
    response: z.object({ grantCalls: z.array(grantCallViewSchema) }),
  }),
  grantCall: route({
    method: 'GET',
    path: '/api/grant-calls/:grantCallId',
    summary: 'A grant call with its applications, reviews, awards and payments',
    tag: 'grants',
    access: 'reader',
    params: params({ grantCallId: idParam }),
    status: 200,
    response: grantCallDetailSchema,
  }),
  auditTrail: route({
    method: 'GET',
    path: '/api/audit',
    summary:
      'The audit trail: every event, filtered by actor, organization, body, proposal, budget line, type and time',
    tag: 'audit',
    access: 'reader',
    querystring: auditQuery,
    status: 200,
    response: z.object({
      entries: z.array(auditEntrySchema),
      next: z.int().nullable().describe('`after` for the next page'),
    }),
  }),
  people: route({
    method: 'GET',
    path: '/api/people',
    summary: 'Everyone with an account: name, staff role and organization (never an e-mail address)',
    tag: 'members',
    access: 'reader',
    status: 200,
    response: peopleSchema,
  }),
  startReplay: route({
    method: 'POST',
    path: '/api/audit/replays',
    summary: 'Starts a replay check: every view rebuilt from the events and compared with the live views',
    description:
      'Runs in the background, one at a time (a second request while one runs answers the running one). Follow it with GET /api/audit/replays/current.',
    tag: 'audit',
    access: 'reader',
    body: z.strictObject({}).optional(),
    status: 202,
    response: replayCheckSchema,
  }),
  currentReplay: route({
    method: 'GET',
    path: '/api/audit/replays/current',
    summary: 'The latest replay check: its progress, or its result (identical, or the first differences)',
    tag: 'audit',
    access: 'reader',
    status: 200,
    response: replayCheckSchema,
  }),
  verification: route({
    method: 'GET',
    path: '/api/audit/verification',
    summary: "Checks every event's hash chain: ok with the head hash, or the first bad event",
    description:
      'Walks the whole store, so it takes a while on a long history; limited to a few checks a minute per person.',
    tag: 'audit',
    access: 'reader',
    status: 200,
    response: verificationSchema,
  }),
  exportEvents: route({
    method: 'GET',
    path: '/api/export',
    summary: 'Downloads every event (JSONL, lossless, verifiable) or the audit trail (CSV)',
    description:
      "JSONL: one stored event per line with its data, metadata and hash, enough to verify and replay without Concord. CSV: the audit trail with the CLI's columns, filtered like `GET /api/audit`.",
    tag: 'audit',
    access: 'reader',
    querystring: exportQuery,
    status: 200,
    contentType: 'application/x-ndjson',
    response: z.string().describe('JSON lines or CSV text, streamed'),
  }),
  budgetAsOf: route({
    method: 'GET',
    path: '/api/as-of/budgets/:budgetId',
    summary: 'A budget as it was at a position or time',
    tag: 'as of',
    access: 'reader',
    params: params({ budgetId: idParam }),
    querystring: asOfQuery,
    status: 200,
    response: budgetAsOfSchema,
  }),
  membersAsOf: route({
    method: 'GET',
    path: '/api/as-of/members',
    summary: 'The membership as it was at a position or time',
    tag: 'as of',
    access: 'reader',
    querystring: asOfQuery,
    status: 200,
    response: membersAsOfSchema,
  }),
  workingGroupAsOf: route({
    method: 'GET',
    path: '/api/as-of/working-groups/:groupId',
    summary: 'A working group as it was at a position or time',
    tag: 'as of',
    access: 'reader',
    params: params({ groupId: idParam }),
    querystring: asOfQuery,
    status: 200,
    response: workingGroupAsOfSchema,
  }),
  proposalAsOf: route({
    method: 'GET',
    path: '/api/as-of/proposals/:proposalId',
    summary: 'A proposal as it was at a position or time, with the outcome computed then',
    tag: 'as of',
    access: 'reader',
    params: params({ proposalId: idParam }),
    querystring: asOfQuery,
    status: 200,
    response: proposalAsOfSchema,
  }),
} as const;
