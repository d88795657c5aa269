import {
  decisionRulesSchema,
  LIST_LIMITS,
  languageTagSchema,
  type MemberProfile,
  proposalPayloadSchema,
  sopSchema,
  stanceSchema,
  translatedVersionSchema,
} from '@concord/domain';
import { z } from 'zod';
import { attachmentsBody } from './attachments.ts';
import { email, idParam, name, optionalText, position, text, timestamp, title } from './primitives.ts';

/** Why, in the person's own words: optional, recorded with the event. */
const reason = text
  .max(2_000)
  .nullable()
  .default(null)
  .describe('why, in your own words (optional, recorded)');

/** A person invited to represent an organization: their name and address stay out of the history. */
const invitee = z
  .strictObject({ name, email })
  .meta({ id: 'Invitee', description: 'a person to invite: name and address (kept out of the events)' });

// Request bodies of the command routes. The server adds the actor (from the session), the time (its
// clock), the ids of what a command creates, and every fact from other aggregates (`context`): a client
// never sends those, and an unknown field is refused rather than ignored.

export const foundCoalitionBody = z
  .strictObject({
    coalitionName: name,
    rules: decisionRulesSchema.optional().describe("the charter's first decision rules; sensible defaults"),
    sharedValues: z.array(text).max(100).default([]),
    sops: z.array(sopSchema).max(200).default([]),
    foundingMembers: z
      .array(
        z.strictObject({
          name,
          representatives: z
            .array(invitee)
            .max(5)
            .default([])
            .describe('the first representatives the founding names; each gets an invitation to accept'),
        }),
      )
      .min(1)
      .max(LIST_LIMITS.organizations)
      .describe('the member organizations named at the founding; their ids are created by the server'),
  })
  .meta({ id: 'FoundCoalitionRequest' });

export const inviteRepresentativeBody = z
  .strictObject({ email, name, reason })
  .meta({ id: 'InviteRepresentativeRequest', description: 'who to invite; a one-time link is sent' });

export const reasonBody = z.strictObject({ reason }).meta({ id: 'ReasonRequest' });

/** The domain's member profile with the text rules on every string, and lists of a sensible length. */
export const updateProfileBody = z
  .strictObject({
    availability: optionalText(2_000).describe('e.g. "Tuesdays and Thursdays, UTC+3"'),
    interests: z.array(name).max(50),
    goals: z.array(text.max(2_000)).max(50).describe('what the organization wants from the coalition'),
    timeCommitmentHoursPerMonth: z.int().min(0).max(744).nullable(),
    languages: z.array(name.min(2).max(35)).max(50).describe('BCP-47 tags, e.g. ar, en, es'),
    reason,
  })
  .meta({ id: 'UpdateProfileRequest' }) satisfies z.ZodType<MemberProfile & { reason: string | null }>;

export const hoursPerMonthBody = z
  .strictObject({ hoursPerMonth: z.int().min(0).max(744).describe('time the organization commits'), reason })
  .meta({ id: 'HoursPerMonthRequest' });

export const raiseQuestionBody = z
  .strictObject({ lineId: idParam, text })
  .meta({ id: 'RaiseBudgetQuestionRequest' });

export const answerQuestionBody = z
  .strictObject({ answer: text })
  .meta({ id: 'AnswerBudgetQuestionRequest' });

export const submitExpenseBody = z
  .strictObject({
    lineId: idParam,
    amount: z.int().min(1).describe('money in minor units (cents)'),
    description: text,
    payeeOrganizationId: idParam.nullable().default(null).describe('a member organization paid, if any'),
    payeeName: name
      .nullable()
      .default(null)
      .describe(
        'the business or organization paid, if not a member; never a person (the receipt names them)',
      ),
    spentOn: z.iso.date().describe('when the money was spent or is due'),
    grant: z
      .strictObject({ grantCallId: idParam, applicationId: idParam })
      .nullable()
      .default(null)
      .describe(
        'an awarded grant this pays out (a disbursement, within the money committed to it; the payee is the grantee); null: an ordinary expense',
      ),
    receipts: attachmentsBody.describe('the receipts, uploaded first (POST /api/attachments)'),
  })
  .meta({ id: 'SubmitExpenseRequest' });

export const rejectExpenseBody = z
  .strictObject({ reason: text.describe('why, recorded with the rejection') })
  .meta({ id: 'RejectExpenseRequest' });

export const withdrawExpenseBody = z.strictObject({ reason }).meta({ id: 'WithdrawExpenseRequest' });

export const markExpensePaidBody = z
  .strictObject({ reference: name.describe('the payment reference (a transfer or cheque number)') })
  .meta({ id: 'MarkExpensePaidRequest' });

export const publishGrantCallBody = z
  .strictObject({
    title,
    description: text,
    criteria: z.array(text).min(1).max(100),
    budgetId: idParam,
    lineId: idParam,
    deadline: timestamp,
  })
  .meta({ id: 'PublishGrantCallRequest' });

export const submitApplicationBody = z
  .strictObject({
    applicantOrganizationId: idParam
      .optional()
      .describe(
        'a representative applies for their own organization; a facilitator for one outside the coalition (created when absent)',
      ),
    applicantName: name,
    amountRequested: z.int().min(1).describe('money in minor units (cents)'),
    summary: text,
    attachments: attachmentsBody,
  })
  .meta({ id: 'SubmitGrantApplicationRequest' });

export const reviewApplicationBody = z
  .strictObject({
    recommendation: z.enum(['fund', 'doNotFund', 'revise']),
    assessment: text,
    attachments: attachmentsBody,
  })
  .meta({ id: 'ReviewGrantApplicationRequest' });

export const proposalBody = z
  .strictObject({ title, body: text, payload: proposalPayloadSchema, attachments: attachmentsBody })
  .meta({ id: 'ProposalRequest', description: 'the text and what the proposal does once adopted' });

export const amendmentBody = z
  .strictObject({ title, body: text, payload: proposalPayloadSchema, attachments: attachmentsBody, reason })
  .meta({ id: 'AmendmentRequest', description: 'the new text and payload, and why it changed' });

export const openProposalBody = z
  .strictObject({
    urgentReason: text.nullable().default(null).describe("asks for the charter's urgent path"),
  })
  .meta({ id: 'OpenProposalRequest' });

export const commentBody = z
  .strictObject({ text, attachments: attachmentsBody })
  .meta({ id: 'CommentRequest' });

/** What a translation translates: the proposal (title and text), one comment, or a stance's reason. */
const translatedItem = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('proposal') }),
    z.strictObject({ kind: z.literal('comment'), commentId: idParam }),
    z.strictObject({ kind: z.literal('stanceReason'), organizationId: idParam }),
  ])
  .meta({ id: 'TranslatedItemRequest' });

export const translationBody = z
  .strictObject({
    item: translatedItem,
    version: translatedVersionSchema,
    sourceLanguage: languageTagSchema,
    language: languageTagSchema,
    title: title.nullable().default(null).describe('the translated title: required for a proposal only'),
    text,
  })
  .meta({
    id: 'TranslationRequest',
    description: 'a translation of the version of an item the translator read, into another language',
  });

export const stanceBody = z
  .strictObject({
    stance: stanceSchema,
    reason: text.nullable().default(null).describe('required for concerns, stand aside and block'),
  })
  .meta({ id: 'StanceRequest' });

export const withdrawBody = z.strictObject({ reason: text }).meta({ id: 'WithdrawRequest' });

export const scheduleBody = z
  .strictObject({ scheduledFor: timestamp, reason })
  .meta({ id: 'ScheduleRequest' });

export const emptyBody = z.strictObject({}).meta({ id: 'EmptyRequest' });

/** What every accepted command answers: where its events went, and the ids of what it created. */
export const commandResultSchema = z
  .object({
    commandId: z.string().describe('the command, as recorded in the metadata of its events'),
    streamId: z.string(),
    streamVersion: z.int().describe("the stream's version after the command"),
    position: position.describe('global position of the last event: read models have it once they reach it'),
    events: z.array(z.object({ id: z.string(), type: z.string() })),
    created: z
      .record(z.string(), z.union([z.string(), z.array(z.string())]))
      .describe('ids the server created, e.g. { proposalId }'),
  })
  .meta({ id: 'CommandResult', description: 'the events a command appended' });
export type CommandResult = z.infer<typeof commandResultSchema>;

/** A one-time invitation link made for a person. */
export const invitationSchema = z
  .object({
    personId: z.string(),
    email: z.string(),
    role: z.enum(['representative', 'auditor', 'facilitator', 'partner']),
    organizationId: z.string().nullable(),
    expiresAt: timestamp,
    link: z
      .string()
      .nullable()
      .describe(
        'the link itself, only when this server sends no mail (no SMTP_URL): whoever invited passes it on',
      ),
  })
  .meta({
    id: 'Invitation',
    description: 'a one-time invitation link, mailed (or handed over when mail is off)',
  });
export type Invitation = z.infer<typeof invitationSchema>;

export const invitationResultSchema = invitationSchema
  .extend({
    command: commandResultSchema
      .nullable()
      .describe('the InviteRepresentative or InvitePartnerContact command, when one was recorded'),
  })
  .meta({ id: 'InvitationResult', description: 'an invitation was sent as a one-time link' });
export type InvitationResult = z.infer<typeof invitationResultSchema>;

/** The founding's events, and an invitation for each first representative it named. */
export const foundingResultSchema = commandResultSchema
  .extend({ invitations: z.array(invitationSchema) })
  .meta({ id: 'FoundingResult' });
