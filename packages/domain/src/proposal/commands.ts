import { z } from 'zod';
import { attachmentsSchema } from '../shared/attachment.ts';
import { executionSchema } from '../shared/execution.ts';
import { commandSchema } from '../shared/messages.ts';
import {
  idSchema,
  optionalReasonSchema,
  textSchema,
  timestampSchema,
  titleSchema,
} from '../shared/primitives.ts';
import { decisionContextSchema } from './context.ts';
import { proposalPayloadSchema } from './payload.ts';
import { stanceSchema } from './stance.ts';
import { languageTagSchema, translatedItemSchema, translatedVersionSchema } from './translation.ts';

/** A representative or a facilitator drafts a proposal. Nothing is decided on a draft. */
export const draftProposalSchema = commandSchema('DraftProposal', 'Draft a proposal', {
  proposalId: idSchema,
  title: textSchema,
  body: textSchema,
  payload: proposalPayloadSchema,
  attachments: attachmentsSchema,
});

/**
 * The proposer replaces the text and payload (same kind). On an open proposal every earlier stance then
 * needs review; if the payload changes, `context` (a `DecisionContext`) is required to check it again
 * and recompute routing and recusals, and an amendment that would change the deciding body is refused.
 */
export const amendProposalSchema = commandSchema('AmendProposal', 'Amend a proposal', {
  proposalId: idSchema,
  title: textSchema,
  body: textSchema,
  payload: proposalPayloadSchema,
  attachments: attachmentsSchema,
  reason: optionalReasonSchema,
  context: decisionContextSchema.nullable(),
});

/**
 * The proposer opens a draft for feedback. Routing, the deciding body's members, the recusals, the rules
 * and the end of the feedback window are computed from `context` (a `DecisionContext`) and recorded.
 * `urgentReason` asks for the charter's urgent path.
 */
export const openProposalSchema = commandSchema('OpenProposal', 'Open a proposal for feedback', {
  proposalId: idSchema,
  urgentReason: textSchema.nullable(),
  context: decisionContextSchema,
});

/** Anyone but an auditor comments, recused organizations included. */
export const commentOnProposalSchema = commandSchema('CommentOnProposal', 'Comment on a proposal', {
  proposalId: idSchema,
  commentId: idSchema,
  text: textSchema,
  attachments: attachmentsSchema,
});

/** A representative takes or changes their organization's stance; the last one counts. */
export const takeStanceSchema = commandSchema('TakeStance', "Take or change an organization's stance", {
  proposalId: idSchema,
  stance: stanceSchema,
  reason: textSchema.nullable().describe('required for concerns, stand aside and block'),
});

/** The proposer withdraws a draft or open proposal. */
export const withdrawProposalSchema = commandSchema('WithdrawProposal', 'Withdraw a proposal', {
  proposalId: idSchema,
  reason: textSchema,
});

/**
 * A member's representative adds a translation of the proposal (title and text), of a comment or of a
 * stance's reason into `language`. `version` is the version of the original they translated (see
 * `translatedVersionSchema`): a translation of a text that has changed since is refused, so no new
 * translation is outdated when recorded. The last translation of an item into a language is shown.
 */
export const addTranslationSchema = commandSchema('AddTranslation', 'Add a translation', {
  proposalId: idSchema,
  item: translatedItemSchema,
  version: translatedVersionSchema,
  sourceLanguage: languageTagSchema.describe('the language of the original, as the translator read it'),
  language: languageTagSchema.describe('the language of the translation'),
  title: titleSchema.nullable().describe('the translated title: required for a proposal, null otherwise'),
  text: textSchema,
});

/** A facilitator or representative schedules when the decision will be taken (after the window). */
export const scheduleDecisionSchema = commandSchema(
  'ScheduleDecision',
  'Schedule the decision on a proposal',
  {
    proposalId: idSchema,
    scheduledFor: timestampSchema,
    reason: optionalReasonSchema,
  },
);

/**
 * Anyone but an auditor asks for the decision now; the outcome is computed, so asking gives no power.
 * Refused while the outcome is still open (window, quorum); starts a second round when a block meets
 * the charter's fallback.
 */
export const decideProposalSchema = commandSchema('DecideProposal', 'Decide a proposal now', {
  proposalId: idSchema,
});

/** The adopted decision of a proposal whose execution a process step records, as applied or as failed. */
const executionRecordFields = { proposalId: idSchema, execution: executionSchema };

/** System only: the adopted proposal's effects were applied. */
export const recordProposalExecutionSchema = commandSchema(
  'RecordProposalExecution',
  'Record that an adopted proposal was executed',
  executionRecordFields,
);

/** System only: an effect of the adopted proposal was refused (e.g. the line no longer had the money). */
export const recordExecutionFailureSchema = commandSchema(
  'RecordExecutionFailure',
  'Record that an adopted proposal could not be executed',
  {
    ...executionRecordFields,
    failure: z.object({ code: z.string().min(1), message: z.string().min(1) }),
  },
);

/**
 * A facilitator reminds the organizations of the deciding body that have no stance on the current text
 * (recused ones excluded), at most once a day per proposal, while it is open for feedback.
 */
export const remindUndecidedSchema = commandSchema(
  'RemindUndecided',
  'Remind the organizations that have not taken a stance',
  { proposalId: idSchema },
);

/** Every command of the proposal aggregate. */
export const proposalCommandSchema = z.discriminatedUnion('type', [
  draftProposalSchema,
  amendProposalSchema,
  openProposalSchema,
  commentOnProposalSchema,
  takeStanceSchema,
  addTranslationSchema,
  withdrawProposalSchema,
  scheduleDecisionSchema,
  remindUndecidedSchema,
  decideProposalSchema,
  recordProposalExecutionSchema,
  recordExecutionFailureSchema,
]);
export type ProposalCommand = z.infer<typeof proposalCommandSchema>;
