import { z } from 'zod';
import { storedLanguageTagSchema } from '../proposal/translation.ts';
import { attachmentsSchema } from '../shared/attachment.ts';
import { executionSchema } from '../shared/execution.ts';
import { commandSchema } from '../shared/messages.ts';
import { dateSchema, idSchema, textSchema, timestampSchema, titleSchema } from '../shared/primitives.ts';
import { agreementSchema, checkInEveryMonthsSchema, partnersSchema } from './agreement.ts';
import { PILLARS, pillarSchema, ratingSchema } from './pillars.ts';

/** The agreement and check-in rhythm an adopted proposal set, and that decision. */
const adoptedAgreementFields = {
  agreement: agreementSchema,
  checkInEveryMonths: checkInEveryMonthsSchema,
  execution: executionSchema,
};

/** System only: records a partnership an adopted proposal established, with its agreement. */
export const establishPartnershipSchema = commandSchema(
  'EstablishPartnership',
  'Record an adopted partnership',
  { partnershipId: idSchema, title: titleSchema, partners: partnersSchema, ...adoptedAgreementFields },
);

/** System only: records the agreement as an adopted proposal changed it. */
export const changePartnershipAgreementSchema = commandSchema(
  'ChangePartnershipAgreement',
  "Record an adopted change of a partnership's agreement",
  { partnershipId: idSchema, ...adoptedAgreementFields },
);

/** A person taking part for a partner organization: whom an invitation, a joining and a removal are about. */
export const partnerContactFields = { partnershipId: idSchema, organizationId: idSchema, personId: idSchema };

/**
 * The facilitator invites a person to take part for a partner organization (their name and address go
 * to the invitation, never into the history).
 */
export const invitePartnerContactSchema = commandSchema(
  'InvitePartnerContact',
  'Invite a person to take part for a partner organization',
  partnerContactFields,
);

/** The invited person accepts, and from then on takes part for their organization. */
export const acceptPartnerContactSchema = commandSchema(
  'AcceptPartnerContact',
  'Accept an invitation to take part in a partnership',
  { partnershipId: idSchema },
);

/** The facilitator, or the person themself, ends a person's part in a partnership. */
export const removePartnerContactSchema = commandSchema(
  'RemovePartnerContact',
  "End a person's part in a partnership",
  { partnershipId: idSchema, personId: idSchema },
);

/** A check-in round of a partnership, as its commands and events name it. */
export const checkInRoundRefFields = { partnershipId: idSchema, roundId: idSchema };

/**
 * A check-in round opens: by the facilitator (as the parties agreed), or by the schedule. `pooled`: the
 * coalition's member organizations' answers are shown only together (at least three), never one by one.
 */
export const openCheckInRoundSchema = commandSchema('OpenCheckInRound', 'Open a check-in round', {
  ...checkInRoundRefFields,
  closesAt: timestampSchema,
  pooled: z.boolean().default(true).describe("the coalition's answers are shown only pooled"),
});

/** One pillar's rating in an answer, with a comment. */
export const pillarAnswerSchema = z
  .object({
    pillar: pillarSchema,
    rating: ratingSchema,
    comment: textSchema.or(z.literal('')).default(''),
  })
  .meta({ id: 'PillarAnswer', description: "one pillar's rating, with a comment" });

/** Every pillar rated once, in any order. */
export const pillarAnswersSchema = z
  .array(pillarAnswerSchema)
  .length(PILLARS.length)
  .refine(
    (answers) => new Set(answers.map((answer) => answer.pillar)).size === PILLARS.length,
    'every pillar once',
  );

/**
 * An organization answers a round: a representative for their member organization, a partner's person
 * for theirs. A later answer of the same organization replaces its earlier one until the round closes.
 */
export const answerCheckInSchema = commandSchema('AnswerCheckIn', 'Answer a check-in round', {
  ...checkInRoundRefFields,
  organizationId: idSchema,
  answers: pillarAnswersSchema,
  evidence: attachmentsSchema.describe('documents the answer rests on'),
  language: storedLanguageTagSchema.describe('the language the comments are written in'),
});

/** The facilitator closes a round (the schedule closes it once its time has passed): results are computed. */
export const closeCheckInRoundSchema = commandSchema(
  'CloseCheckInRound',
  'Close a check-in round',
  checkInRoundRefFields,
);

/** An action of a partnership, as its commands and events name it. */
export const partnershipActionRefFields = { partnershipId: idSchema, actionId: idSchema };

/**
 * A party proposes an action from a round's results (or between rounds): who does it, by when, and which
 * pillar it addresses. The proposing party agrees to it; the others each agree in turn.
 */
export const proposePartnershipActionSchema = commandSchema(
  'ProposePartnershipAction',
  'Propose an action to the parties of a partnership',
  {
    ...partnershipActionRefFields,
    roundId: idSchema.nullable().describe('the closed round whose results it answers'),
    pillar: pillarSchema,
    ownerPartyId: idSchema.describe('"coalition" or the partner organization that does it'),
    dueDate: dateSchema,
    description: textSchema,
  },
);

/** A party agrees to a proposed action; once every party has, it is agreed. */
export const agreeToPartnershipActionSchema = commandSchema(
  'AgreeToPartnershipAction',
  'Agree to a proposed action',
  partnershipActionRefFields,
);

/** Where an agreed action stands, as a party says. */
export const actionStatusSchema = z.enum(['inProgress', 'done', 'dropped']);

/** A party says what was done about an agreed action (in the round open now, if one is). */
export const followUpPartnershipActionSchema = commandSchema(
  'FollowUpPartnershipAction',
  'Say what was done about an agreed action',
  {
    ...partnershipActionRefFields,
    status: actionStatusSchema,
    note: textSchema,
  },
);

/** What a shared reflection is about. */
export const reflectionAboutSchema = z
  .object({
    kind: z.enum(['grant', 'project', 'partnership']),
    reference: titleSchema.nullable().describe('which grant or project, in words'),
  })
  .meta({ id: 'ReflectionAbout', description: 'a grant, a project, or the partnership itself' });

/** What a reflection says: the questions the position paper's shared learning asks. */
export const reflectionTexts = {
  whatWorked: textSchema,
  whatShouldChange: textSchema,
  strengths: textSchema,
  weaknesses: textSchema,
  communityOutcomes: textSchema.describe('what changed for the communities served'),
};

/** A party records what it learned at the end of a grant, a project or the partnership. */
export const recordReflectionSchema = commandSchema('RecordReflection', 'Record shared learning', {
  partnershipId: idSchema,
  reflectionId: idSchema,
  about: reflectionAboutSchema,
  ...reflectionTexts,
  language: storedLanguageTagSchema,
});

/** Every command of the partnership aggregate. */
export const partnershipCommandSchema = z.discriminatedUnion('type', [
  establishPartnershipSchema,
  changePartnershipAgreementSchema,
  invitePartnerContactSchema,
  acceptPartnerContactSchema,
  removePartnerContactSchema,
  openCheckInRoundSchema,
  answerCheckInSchema,
  closeCheckInRoundSchema,
  proposePartnershipActionSchema,
  agreeToPartnershipActionSchema,
  followUpPartnershipActionSchema,
  recordReflectionSchema,
]);
export type PartnershipCommand = z.infer<typeof partnershipCommandSchema>;
