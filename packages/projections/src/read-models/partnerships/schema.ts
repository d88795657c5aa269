import {
  agreementSchema,
  attachmentRefSchema,
  partnerSchema,
  pillarAnswerSchema,
  pillarSchema,
  reflectionAboutSchema,
  roundResultsSchema,
} from '@concord/domain';
import { z } from 'zod';
import { iso } from '../primitives.ts';

/** Where an action stands: proposed until every party agreed, then as its latest follow-up said. */
export const partnershipActionStatusSchema = z
  .enum(['proposed', 'agreed', 'inProgress', 'done', 'dropped'])
  .meta({ id: 'PartnershipActionStatus' });
export type PartnershipActionStatus = z.infer<typeof partnershipActionStatusSchema>;

/** One pillar of an organization's answer, as it was given (rating, comment, evidence). */
export type PartnershipAnswerItem = z.infer<typeof pillarAnswerSchema>;

/** What a shared reflection is about. */
export type ReflectionAboutView = z.infer<typeof reflectionAboutSchema>;

/** A party's word on what was done about an agreed action. */
export const partnershipFollowUpSchema = z
  .object({
    roundId: z.string().nullable().describe('the round open when it was said, if one was'),
    status: z.enum(['inProgress', 'done', 'dropped']),
    note: z.string(),
    partyId: z.string(),
    organizationId: z.string(),
    at: iso,
  })
  .meta({ id: 'PartnershipFollowUp' });
export type PartnershipFollowUp = z.infer<typeof partnershipFollowUpSchema>;

/** The round of a partnership open now: who has answered so far (never what). */
export const openRoundViewSchema = z
  .object({
    roundId: z.string(),
    closesAt: iso,
    pooled: z.boolean(),
    answeredOrganizationIds: z
      .array(z.string())
      .describe('the organizations that answered, in the order of their first answer'),
  })
  .meta({ id: 'OpenCheckInRoundView' });

/** A partnership as listed: its parties, rhythm, the round open now, and how much it holds. */
export const partnershipSummarySchema = z
  .object({
    partnershipId: z.string(),
    title: z.string(),
    partners: z.array(partnerSchema),
    checkInEveryMonths: z.int(),
    establishedAt: iso,
    openRound: openRoundViewSchema.nullable(),
    lastClosedRoundId: z.string().nullable(),
    openActionCount: z.int().describe('actions neither done nor dropped'),
    reflectionCount: z.int(),
  })
  .meta({ id: 'PartnershipSummary' });
export type PartnershipSummary = z.infer<typeof partnershipSummarySchema>;

/** A person taking part for a partner organization. */
export const partnerContactViewSchema = z
  .object({
    personId: z.string(),
    organizationId: z.string(),
    status: z.enum(['invited', 'joined']),
  })
  .meta({ id: 'PartnerContact' });
export type PartnerContactView = z.infer<typeof partnerContactViewSchema>;

/** A check-in round, with its results once closed (as the domain computed them). */
export const checkInRoundViewSchema = z
  .object({
    roundId: z.string(),
    pooled: z.boolean(),
    openedAt: iso,
    closesAt: iso,
    closedAt: iso.nullable(),
    results: roundResultsSchema.nullable(),
    answeredOrganizationIds: z.array(z.string()),
  })
  .meta({ id: 'CheckInRound' });
export type CheckInRoundView = z.infer<typeof checkInRoundViewSchema>;

/** An action the parties proposed, who agreed to it, and what each follow-up said. */
export const partnershipActionViewSchema = z
  .object({
    actionId: z.string(),
    roundId: z.string().nullable().describe('the closed round whose results it answers'),
    pillar: pillarSchema,
    ownerPartyId: z.string(),
    dueDate: z.string(),
    description: z.string(),
    proposedBy: z.object({ partyId: z.string(), organizationId: z.string() }),
    proposedAt: iso,
    agreedBy: z.array(z.string()).describe("the parties that agreed, the proposer's first"),
    status: partnershipActionStatusSchema,
    agreedAt: iso.nullable(),
    followUps: z.array(partnershipFollowUpSchema),
  })
  .meta({ id: 'PartnershipAction' });
export type PartnershipActionView = z.infer<typeof partnershipActionViewSchema>;

/** What a party learned at the end of a grant, a project or the partnership. */
export const reflectionViewSchema = z
  .object({
    partnershipId: z.string(),
    reflectionId: z.string(),
    about: reflectionAboutSchema,
    whatWorked: z.string(),
    whatShouldChange: z.string(),
    strengths: z.string(),
    weaknesses: z.string(),
    communityOutcomes: z.string(),
    language: z.string(),
    partyId: z.string(),
    organizationId: z.string(),
    recordedBy: z.string(),
    recordedAt: iso,
  })
  .meta({ id: 'Reflection' });
export type ReflectionView = z.infer<typeof reflectionViewSchema>;

/** A partnership with its agreement, contacts, rounds (newest first), actions and reflections (newest first). */
export const partnershipDetailSchema = partnershipSummarySchema
  .extend({
    agreement: agreementSchema,
    establishedByProposalId: z.string(),
    agreementProposalId: z.string().describe('the proposal that set the current agreement'),
    agreementChangedAt: iso.nullable(),
    contacts: z.array(partnerContactViewSchema),
    rounds: z.array(checkInRoundViewSchema),
    actions: z.array(partnershipActionViewSchema),
    reflections: z.array(reflectionViewSchema),
  })
  .meta({ id: 'PartnershipDetail' });
export type PartnershipDetail = z.infer<typeof partnershipDetailSchema>;

/** One organization's answer to a round (its latest). Who may see which is the API's to decide. */
export const checkInAnswerViewSchema = z
  .object({
    partnershipId: z.string(),
    roundId: z.string(),
    organizationId: z.string(),
    partyId: z.string().describe('"coalition" for a member organization, else the partner organization'),
    answers: z.array(pillarAnswerSchema),
    evidence: z.array(attachmentRefSchema),
    language: z.string(),
    answeredBy: z.string(),
    answeredAt: iso,
  })
  .meta({ id: 'CheckInAnswer' });
export type CheckInAnswerView = z.infer<typeof checkInAnswerViewSchema>;
