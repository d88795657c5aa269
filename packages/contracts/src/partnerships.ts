import {
  agreementSchema,
  partnerSchema,
  pillarSchema,
  ratingSchema,
  reflectionAboutSchema,
} from '@concord/domain';
import {
  checkInAnswerViewSchema,
  checkInRoundViewSchema,
  partnerContactViewSchema,
  partnershipActionViewSchema,
  partnershipDetailSchema,
  partnershipSummarySchema,
  reflectionViewSchema,
} from '@concord/projections/schemas';
import { iso } from '@concord/projections/schemas/primitives';
import { z } from 'zod';
import { attachmentsBody } from './attachments.ts';
import { commandResultSchema, invitationResultSchema } from './commands.ts';
import { email, idParam, name, text, timestamp } from './primitives.ts';
import { asOfPoint, asOfQuery } from './queries.ts';
import { route } from './route.ts';

// Partnerships (issue 15; ADR 0027): the coalition and its partners check in on the partnership together.
// Routes of `partnership` access are open to the coalition's people and to the partners' people — the
// latter only for their own partnerships, which the handlers check.

const language = z
  .string()
  .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, 'a BCP 47 language tag')
  .max(35)
  .describe('the language the words are written in, e.g. ar, en, es, fr');

export const invitePartnerContactBody = z
  .strictObject({
    organizationId: idParam.describe('the partner organization the person takes part for'),
    email,
    name,
  })
  .meta({
    id: 'InvitePartnerContactRequest',
    description: 'who to invite for a partner; a one-time link is sent',
  });

export const openCheckInRoundBody = z
  .strictObject({
    closesAt: timestamp,
    pooled: z.boolean().default(true).describe("the member organizations' answers are shown only pooled"),
  })
  .meta({ id: 'OpenCheckInRoundRequest' });

export const answerCheckInBody = z
  .strictObject({
    answers: z
      .array(
        z.strictObject({
          pillar: pillarSchema,
          rating: ratingSchema,
          comment: text.or(z.literal('')).default(''),
        }),
      )
      .length(13)
      .describe('every one of the thirteen pillars, once'),
    evidence: attachmentsBody.describe(
      'documents the answer rests on, uploaded first (POST /api/attachments)',
    ),
    language,
  })
  .meta({ id: 'AnswerCheckInRequest', description: "an organization's answer to a round" });

export const proposePartnershipActionBody = z
  .strictObject({
    roundId: idParam.nullable().default(null).describe('the closed round whose results it answers'),
    pillar: pillarSchema,
    ownerPartyId: idParam.describe('"coalition" or the partner organization that does it'),
    dueDate: z.iso.date(),
    description: text,
  })
  .meta({ id: 'ProposePartnershipActionRequest' });

export const followUpPartnershipActionBody = z
  .strictObject({ status: z.enum(['inProgress', 'done', 'dropped']), note: text })
  .meta({ id: 'FollowUpPartnershipActionRequest' });

export const recordReflectionBody = z
  .strictObject({
    about: reflectionAboutSchema,
    whatWorked: text,
    whatShouldChange: text,
    strengths: text,
    weaknesses: text,
    communityOutcomes: text,
    language,
  })
  .meta({ id: 'RecordReflectionRequest' });

/** A partnership as it stood at a position or time (`asOf.partnership`): never an organization's answer. */
export const partnershipAsOfSchema = z
  .object({
    asOf: asOfPoint,
    partnershipId: z.string(),
    title: z.string(),
    status: z.literal('active'),
    establishedAt: iso,
    partners: z.array(partnerSchema),
    partyIds: z.array(z.string()).describe('"coalition" first, then each partner organization'),
    contacts: z.array(partnerContactViewSchema),
    agreement: z.object({
      text: agreementSchema,
      version: z.int().min(1).describe('1 as established, one more for each adopted change'),
      proposalId: z.string().describe('the proposal that set this version'),
      since: iso,
    }),
    schedule: z.object({
      checkInEveryMonths: z.int(),
      openRoundId: z.string().nullable(),
      nextRoundFrom: iso.nullable().describe('with no round open, when the schedule would open the next'),
    }),
    rounds: z
      .array(checkInRoundViewSchema.extend({ status: z.enum(['open', 'closed']) }))
      .describe('newest first; a round closed only later shows open, without results'),
    actions: z.array(partnershipActionViewSchema),
    reflections: z.array(reflectionViewSchema),
  })
  .meta({ id: 'PartnershipAsOf' });

const partnershipParams = z.strictObject({ partnershipId: idParam });
const contactParams = z.strictObject({ partnershipId: idParam, personId: idParam });
const roundParams = z.strictObject({ partnershipId: idParam, roundId: idParam });
const answerParams = z.strictObject({ partnershipId: idParam, roundId: idParam, organizationId: idParam });
const actionParams = z.strictObject({ partnershipId: idParam, actionId: idParam });

const command = { idempotent: true, tag: 'partnerships', response: commandResultSchema } as const;

export const reflectionsQuery = z.strictObject({
  q: z.string().min(1).max(200).describe('words the reflection contains (any of its texts)'),
});

export const partnershipRoutes = {
  partnerships: route({
    method: 'GET',
    path: '/api/partnerships',
    summary: "The coalition's partnerships (a partner's person: theirs)",
    tag: 'partnerships',
    access: 'partnership',
    status: 200,
    response: z.object({ partnerships: z.array(partnershipSummarySchema) }),
  }),
  partnership: route({
    method: 'GET',
    path: '/api/partnerships/:partnershipId',
    summary: 'A partnership: its parties, agreement, rounds with their results, actions and shared learning',
    tag: 'partnerships',
    access: 'partnership',
    params: partnershipParams,
    status: 200,
    response: partnershipDetailSchema,
  }),
  partnershipAsOf: route({
    method: 'GET',
    path: '/api/partnerships/:partnershipId/as-of',
    summary: 'A partnership as it stood at a position or time: agreement, rounds with results, actions',
    description:
      "Replayed from the partnership's events. Readable by whoever may read the partnership today (a partner's person: their own). Like the live view, it never lists an organization's answer.",
    tag: 'partnerships',
    access: 'partnership',
    params: partnershipParams,
    querystring: asOfQuery,
    status: 200,
    response: partnershipAsOfSchema,
  }),
  checkInAnswers: route({
    method: 'GET',
    path: '/api/partnerships/:partnershipId/rounds/:roundId/answers',
    summary: 'The answers to a round that you may read',
    description:
      "Your organization's own answer at any time. Once the round closed: a partner's answers (a partner speaks for itself), and the member organizations' answers of a round that was not pooled. A pooled round's member answers are never listed one by one: its results show them together, only where at least three rated.",
    tag: 'partnerships',
    access: 'partnership',
    params: roundParams,
    status: 200,
    response: z.object({ answers: z.array(checkInAnswerViewSchema) }),
  }),
  reflections: route({
    method: 'GET',
    path: '/api/reflections',
    summary: 'Search the shared learning of every partnership (a partner: of theirs)',
    tag: 'partnerships',
    access: 'partnership',
    querystring: reflectionsQuery,
    status: 200,
    response: z.object({ reflections: z.array(reflectionViewSchema) }),
  }),
  invitePartnerContact: route({
    method: 'POST',
    path: '/api/partnerships/:partnershipId/contacts',
    summary: 'Invite a person to take part for a partner organization (facilitators)',
    description:
      'Records InvitePartnerContact and sends a one-time link; the name and address stay out of the history.',
    tag: 'partnerships',
    access: 'facilitator',
    command: 'InvitePartnerContact',
    idempotent: true,
    params: partnershipParams,
    body: invitePartnerContactBody,
    status: 201,
    response: invitationResultSchema,
  }),
  removePartnerContact: route({
    ...command,
    method: 'POST',
    path: '/api/partnerships/:partnershipId/contacts/:personId/remove',
    summary: "End a person's part in a partnership (the facilitator, or the person themself)",
    access: 'partnership',
    command: 'RemovePartnerContact',
    params: contactParams,
    status: 200,
  }),
  openCheckInRound: route({
    ...command,
    method: 'POST',
    path: '/api/partnerships/:partnershipId/rounds',
    summary: 'Open a check-in round (facilitators)',
    access: 'facilitator',
    command: 'OpenCheckInRound',
    params: partnershipParams,
    body: openCheckInRoundBody,
    status: 201,
  }),
  answerCheckIn: route({
    ...command,
    method: 'PUT',
    path: '/api/partnerships/:partnershipId/rounds/:roundId/answers/:organizationId',
    summary: "Answer a check-in round for your organization (replaces your organization's earlier answer)",
    access: 'partnership',
    command: 'AnswerCheckIn',
    params: answerParams,
    body: answerCheckInBody,
    status: 200,
  }),
  closeCheckInRound: route({
    ...command,
    method: 'POST',
    path: '/api/partnerships/:partnershipId/rounds/:roundId/close',
    summary: 'Close a check-in round: its results are computed (facilitators)',
    access: 'facilitator',
    command: 'CloseCheckInRound',
    params: roundParams,
    status: 200,
  }),
  proposePartnershipAction: route({
    ...command,
    method: 'POST',
    path: '/api/partnerships/:partnershipId/actions',
    summary: 'Propose an action to the parties (your party agrees to it)',
    access: 'partnership',
    command: 'ProposePartnershipAction',
    params: partnershipParams,
    body: proposePartnershipActionBody,
    status: 201,
  }),
  agreeToPartnershipAction: route({
    ...command,
    method: 'POST',
    path: '/api/partnerships/:partnershipId/actions/:actionId/agree',
    summary: 'Agree to a proposed action for your party',
    access: 'partnership',
    command: 'AgreeToPartnershipAction',
    params: actionParams,
    status: 200,
  }),
  followUpPartnershipAction: route({
    ...command,
    method: 'POST',
    path: '/api/partnerships/:partnershipId/actions/:actionId/follow-up',
    summary: 'Say what was done about an agreed action',
    access: 'partnership',
    command: 'FollowUpPartnershipAction',
    params: actionParams,
    body: followUpPartnershipActionBody,
    status: 200,
  }),
  recordReflection: route({
    ...command,
    method: 'POST',
    path: '/api/partnerships/:partnershipId/reflections',
    summary: 'Record what your party learned (end of a grant, a project, the partnership)',
    access: 'partnership',
    command: 'RecordReflection',
    params: partnershipParams,
    body: recordReflectionBody,
    status: 201,
  }),
} as const;
