import { z } from 'zod';
import { decisionRulesSchema } from '../charter/rules.ts';
import { attachmentsSchema } from '../shared/attachment.ts';
import { eventSchema } from '../shared/messages.ts';
import { idSchema, optionalReasonSchema, textSchema, timestampSchema } from '../shared/primitives.ts';
import { tallySchema } from './outcome.ts';
import { proposalPayloadSchema } from './payload.ts';
import { recusalSchema } from './recusal.ts';
import { decidingBodySchema, routingSchema } from './routing.ts';
import { stanceSchema } from './stance.ts';
import { storedLanguageTagSchema, translatedItemSchema, translatedVersionSchema } from './translation.ts';

const revisionSchema = z.int().min(1).describe('1 when drafted, +1 per amendment');

export const proposalDraftedSchema = eventSchema('ProposalDrafted', 'A proposal was drafted.', {
  proposalId: idSchema,
  title: textSchema,
  body: textSchema,
  payload: proposalPayloadSchema,
  attachments: attachmentsSchema,
  proposer: z.object({ personId: idSchema, organizationId: idSchema.nullable() }),
});

export const proposalAmendedSchema = eventSchema(
  'ProposalAmended',
  'The proposer amended a proposal; stances on earlier revisions need review.',
  {
    proposalId: idSchema,
    revision: revisionSchema,
    title: textSchema,
    body: textSchema,
    payload: proposalPayloadSchema,
    attachments: attachmentsSchema,
    routing: routingSchema.nullable().describe('recomputed when an open proposal changed what it does'),
    recusals: z.array(recusalSchema).nullable().describe('recomputed with the routing'),
    amendedBy: idSchema,
    reason: optionalReasonSchema,
  },
);

export const proposalOpenedSchema = eventSchema(
  'ProposalOpened',
  'A proposal opened for feedback, with its computed routing, deciding body, recusals and window.',
  {
    proposalId: idSchema,
    rules: decisionRulesSchema.describe('the charter rules in force at opening'),
    routing: routingSchema,
    memberIds: z.array(idSchema).describe("the deciding body's member organizations at opening"),
    recusals: z.array(recusalSchema),
    urgentReason: textSchema.nullable(),
    feedbackEndsAt: timestampSchema,
    openedBy: idSchema,
  },
);

export const proposalCommentedSchema = eventSchema('ProposalCommented', 'Someone commented on a proposal.', {
  proposalId: idSchema,
  commentId: idSchema,
  text: textSchema,
  attachments: attachmentsSchema,
  personId: idSchema,
  organizationId: idSchema.nullable(),
});

export const stanceTakenSchema = eventSchema(
  'StanceTaken',
  "A representative took or changed their organization's stance (the last one counts).",
  {
    proposalId: idSchema,
    organizationId: idSchema,
    personId: idSchema,
    stance: stanceSchema,
    reason: textSchema.nullable(),
    revision: revisionSchema.describe('the revision of the text the stance is on'),
    round: z.union([z.literal(1), z.literal(2)]),
  },
);

export const translationAddedSchema = eventSchema(
  'TranslationAdded',
  "A member's representative translated the proposal, a comment or a stance reason into another language.",
  {
    proposalId: idSchema,
    item: translatedItemSchema,
    version: translatedVersionSchema.describe('the version of the original translated'),
    sourceLanguage: storedLanguageTagSchema.describe('the language of the original'),
    language: storedLanguageTagSchema.describe('the language of the translation'),
    title: textSchema.nullable().describe('the translated title (a proposal only)'),
    text: textSchema,
    personId: idSchema.describe('the translator'),
    organizationId: idSchema.describe("the translator's organization"),
  },
);

export const proposalWithdrawnSchema = eventSchema('ProposalWithdrawn', 'The proposer withdrew a proposal.', {
  proposalId: idSchema,
  reason: textSchema,
  withdrawnBy: idSchema,
});

export const proposalDecisionScheduledSchema = eventSchema(
  'ProposalDecisionScheduled',
  'The decision on a proposal was scheduled.',
  {
    proposalId: idSchema,
    scheduledFor: timestampSchema,
    scheduledBy: idSchema,
    reason: optionalReasonSchema,
  },
);

export const undecidedRemindedSchema = eventSchema(
  'UndecidedReminded',
  'A facilitator reminded the organizations of the deciding body that had no stance on the current text.',
  {
    proposalId: idSchema,
    organizationIds: z
      .array(idSchema)
      .min(1)
      .describe('the member organizations reminded: no stance on the current revision, recusals excluded'),
    remindedBy: idSchema,
  },
);

export const proposalSecondRoundStartedSchema = eventSchema(
  'ProposalSecondRoundStarted',
  "A block met the charter's fallback: a second round of feedback started.",
  { proposalId: idSchema, feedbackEndsAt: timestampSchema, tally: tallySchema },
);

export const proposalDecidedSchema = eventSchema(
  'ProposalDecided',
  'A proposal was decided (adopted or not), with the computed reason and tally. Adopted decisions are then executed.',
  {
    proposalId: idSchema,
    outcome: z.enum(['adopted', 'notAdopted']),
    reason: z.enum(['consensus', 'everyoneHasSpoken', 'fallbackSupermajority', 'blocked']),
    tally: tallySchema,
    decidingBody: decidingBodySchema,
    revision: revisionSchema,
    payload: proposalPayloadSchema.describe('what the decision does, as adopted'),
  },
);

/** The adopted decision whose execution is recorded: the proposal, and the stored decision's id. */
const executedDecisionFields = { proposalId: idSchema, decisionEventId: idSchema };

export const proposalExecutedSchema = eventSchema(
  'ProposalExecuted',
  "An adopted proposal's effects were applied.",
  executedDecisionFields,
);

export const proposalExecutionFailedSchema = eventSchema(
  'ProposalExecutionFailed',
  'An effect of an adopted proposal was refused when applied; the effects after it were not attempted.',
  { ...executedDecisionFields, failure: z.object({ code: z.string(), message: z.string() }) },
);

/** Every event of the proposal aggregate (stream `proposal-<proposalId>`). */
export const proposalEventSchema = z.discriminatedUnion('type', [
  proposalDraftedSchema,
  proposalAmendedSchema,
  proposalOpenedSchema,
  proposalCommentedSchema,
  stanceTakenSchema,
  translationAddedSchema,
  proposalWithdrawnSchema,
  proposalDecisionScheduledSchema,
  undecidedRemindedSchema,
  proposalSecondRoundStartedSchema,
  proposalDecidedSchema,
  proposalExecutedSchema,
  proposalExecutionFailedSchema,
]);
export type ProposalEvent = z.infer<typeof proposalEventSchema>;
export type ProposalDecided = z.infer<typeof proposalDecidedSchema>;
