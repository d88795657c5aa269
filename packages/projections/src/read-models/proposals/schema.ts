import {
  decisionRulesSchema,
  attachmentRefSchema as documentSchema,
  outcomeSchema,
  type ProposalKind,
  type ProposalStatus,
  proposalPayloadSchema,
  recusalSchema,
  translatedItemSchema,
} from '@concord/domain';
import { z } from 'zod';
import { decidingBodySchema, iso } from '../primitives.ts';

export type { ProposalStatus };

const tally = z
  .object({
    eligible: z.int(),
    quorumRequired: z.int(),
    counted: z.int(),
    consent: z.int(),
    concerns: z.int(),
    standAside: z.int(),
    block: z.int(),
    needsReview: z.int(),
  })
  .meta({ id: 'TallyView' });

/** A proposal as listed: title, status, deciding body, tally and quorum, outcome, links. */
export const proposalSummarySchema = z
  .object({
    proposalId: z.string(),
    kind: z.string(),
    title: z.string(),
    status: z.string(),
    revision: z.int(),
    proposer: z.object({ personId: z.string(), organizationId: z.string().nullable() }),
    draftedAt: iso,
    position: z.int(),
    openedAt: iso.nullable(),
    decidingBody: decidingBodySchema.nullable(),
    routingReason: z.string().nullable(),
    routingLineId: z.string().nullable(),
    feedbackEndsAt: iso.nullable(),
    round: z.int(),
    tally,
    quorum: z.object({ required: z.int(), counted: z.int(), met: z.boolean() }),
    outcome: z
      .object({ outcome: z.enum(['adopted', 'notAdopted']), reason: z.string(), decidedAt: iso })
      .nullable(),
    commentCount: z.int(),
    links: z.object({
      budgetId: z.string().nullable(),
      lineIds: z.array(z.string()),
      groupId: z.string().nullable(),
      grantCallId: z.string().nullable(),
      applicationId: z.string().nullable(),
    }),
    updatedAt: iso,
  })
  .meta({ id: 'ProposalSummary' });

/** A proposal as the read model lists it: the schema's shape, with its kind and status named. */
export interface ProposalSummary extends z.infer<typeof proposalSummarySchema> {
  kind: ProposalKind;
  /** Global position of the drafting event: the order proposals are listed and paged in. */
  position: number;
  status: ProposalStatus;
}

/** An organization's stance, and whether the text changed since it was given. */
export const stanceViewSchema = z
  .object({
    organizationId: z.string(),
    organizationName: z.string().nullable(),
    personId: z.string(),
    stance: z.enum(['consent', 'concerns', 'standAside', 'block']),
    reason: z.string().nullable(),
    revision: z.int(),
    needsReview: z.boolean(),
    round: z.int(),
    at: iso,
    changes: z.int(),
  })
  .meta({ id: 'StanceView' });
export type StanceView = z.infer<typeof stanceViewSchema>;

/** A member's translation of the proposal, a comment or a stance reason (the latest per item and language). */
export const translationViewSchema = z
  .object({
    item: translatedItemSchema,
    itemKey: z.string(),
    language: z.string(),
    sourceLanguage: z.string(),
    version: z.int(),
    outdated: z.boolean().describe('the original changed since (an amendment, a new stance)'),
    title: z.string().nullable(),
    text: z.string(),
    personId: z.string(),
    organizationId: z.string(),
    organizationName: z.string().nullable(),
    at: iso,
  })
  .meta({ id: 'TranslationView', description: "a member's translation, the latest per item and language" });
export type TranslationView = z.infer<typeof translationViewSchema>;

/** A proposal in full: text, revisions, stances, recusals, comments, translations, and its outcome now. */
export const proposalDetailSchema = proposalSummarySchema
  .extend({
    body: z.string(),
    payload: proposalPayloadSchema,
    rules: decisionRulesSchema.nullable(),
    memberIds: z.array(z.string()),
    recusals: z.array(recusalSchema),
    urgentReason: z.string().nullable(),
    scheduledFor: iso.nullable(),
    stances: z.array(stanceViewSchema),
    notYetConsulted: z.array(z.string()),
    comments: z.array(
      z.object({
        commentId: z.string(),
        text: z.string(),
        personId: z.string(),
        organizationId: z.string().nullable(),
        mentions: z
          .array(z.string())
          .describe('the people the text mentions by `@{personId}` tokens: their names come from `people`'),
        revision: z.int(),
        at: iso,
        attachments: z.array(documentSchema).describe('the documents the comment cites'),
      }),
    ),
    revisions: z.array(
      z.object({
        revision: z.int(),
        title: z.string(),
        body: z.string(),
        payload: proposalPayloadSchema,
        byPersonId: z.string(),
        at: iso,
        attachments: z.array(documentSchema).describe('the documents this revision cites'),
      }),
    ),
    translations: z.array(translationViewSchema),
    withdrawn: z.object({ reason: z.string(), at: iso }).nullable(),
    execution: z
      .object({
        at: iso,
        failure: z.object({ code: z.string(), message: z.string() }).nullable(),
        decisionEventId: z.string().nullable(),
      })
      .nullable(),
    live: z.object({ now: iso, timeLeftMs: z.number().nullable(), outcome: outcomeSchema.nullable() }),
  })
  .meta({ id: 'ProposalDetail' });

/**
 * A proposal in full as the read model answers it, kind and status named. `live` is computed at query
 * time from the stored window end and `now`; `stances` has every organization that gave one.
 */
export interface ProposalDetail extends z.infer<typeof proposalDetailSchema> {
  kind: ProposalKind;
  status: ProposalStatus;
}
