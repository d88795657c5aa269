import { z } from 'zod';
import { storedLanguageTagSchema } from '../proposal/translation.ts';
import { attachmentsSchema } from '../shared/attachment.ts';
import { eventSchema, fieldsOf } from '../shared/messages.ts';
import { dateSchema, idSchema, textSchema, timestampSchema } from '../shared/primitives.ts';
import {
  actionStatusSchema,
  agreeToPartnershipActionSchema,
  changePartnershipAgreementSchema,
  checkInRoundRefFields,
  establishPartnershipSchema,
  partnerContactFields,
  partnershipActionRefFields,
  pillarAnswerSchema,
  reflectionAboutSchema,
  reflectionTexts,
} from './commands.ts';
import { pillarSchema } from './pillars.ts';
import { roundResultsSchema } from './results.ts';

export const partnershipEstablishedSchema = eventSchema(
  'PartnershipEstablished',
  'An adopted proposal established a partnership with its agreement and check-in rhythm.',
  fieldsOf(establishPartnershipSchema),
);

export const partnershipAgreementChangedSchema = eventSchema(
  'PartnershipAgreementChanged',
  "An adopted proposal changed a partnership's agreement.",
  fieldsOf(changePartnershipAgreementSchema),
);

export const partnerContactInvitedSchema = eventSchema(
  'PartnerContactInvited',
  'The facilitator invited a person to take part for a partner organization.',
  { ...partnerContactFields, invitedBy: idSchema },
);

export const partnerContactJoinedSchema = eventSchema(
  'PartnerContactJoined',
  'An invited person accepted, and takes part for their partner organization.',
  partnerContactFields,
);

export const partnerContactRemovedSchema = eventSchema(
  'PartnerContactRemoved',
  "A person's part in a partnership ended.",
  { ...partnerContactFields, removedBy: idSchema },
);

export const checkInRoundOpenedSchema = eventSchema(
  'CheckInRoundOpened',
  'A check-in round opened: each party rates every pillar until it closes.',
  {
    ...checkInRoundRefFields,
    closesAt: timestampSchema,
    pooled: z.boolean(),
    openedBy: idSchema,
  },
);

export const checkInAnsweredSchema = eventSchema(
  'CheckInAnswered',
  'An organization answered a check-in round (a later answer replaces its earlier one until the round closes).',
  {
    ...checkInRoundRefFields,
    organizationId: idSchema,
    partyId: idSchema.describe('"coalition" for a member organization, else the partner organization'),
    answers: z.array(pillarAnswerSchema),
    evidence: attachmentsSchema,
    language: storedLanguageTagSchema,
    answeredBy: idSchema,
  },
);

export const checkInRoundClosedSchema = eventSchema(
  'CheckInRoundClosed',
  'A check-in round closed; its results were computed from the answers.',
  { ...checkInRoundRefFields, results: roundResultsSchema, closedBy: idSchema },
);

export const partnershipActionProposedSchema = eventSchema(
  'PartnershipActionProposed',
  'A party proposed an action to the other parties of a partnership.',
  {
    ...partnershipActionRefFields,
    roundId: idSchema.nullable(),
    pillar: pillarSchema,
    ownerPartyId: idSchema,
    dueDate: dateSchema,
    description: textSchema,
    partyId: idSchema.describe('the proposing party'),
    organizationId: idSchema,
    proposedBy: idSchema,
  },
);

export const partnershipActionAgreedToSchema = eventSchema(
  'PartnershipActionAgreedTo',
  'A party agreed to a proposed action.',
  { ...partnershipActionRefFields, partyId: idSchema, organizationId: idSchema, personId: idSchema },
);

export const partnershipActionAgreedSchema = eventSchema(
  'PartnershipActionAgreed',
  'Every party agreed to the action: it is the partnership’s to do.',
  fieldsOf(agreeToPartnershipActionSchema),
);

export const partnershipActionFollowedUpSchema = eventSchema(
  'PartnershipActionFollowedUp',
  'A party said what was done about an agreed action.',
  {
    ...partnershipActionRefFields,
    roundId: idSchema.nullable().describe('the round open when it was said, if one was'),
    status: actionStatusSchema,
    note: textSchema,
    partyId: idSchema,
    organizationId: idSchema,
    personId: idSchema,
  },
);

export const reflectionRecordedSchema = eventSchema(
  'ReflectionRecorded',
  'A party recorded what it learned at the end of a grant, a project or the partnership.',
  {
    partnershipId: idSchema,
    reflectionId: idSchema,
    about: reflectionAboutSchema,
    ...reflectionTexts,
    language: storedLanguageTagSchema,
    partyId: idSchema,
    organizationId: idSchema,
    recordedBy: idSchema,
  },
);

/** Every event of the partnership aggregate (stream `partnership-<partnershipId>`). */
export const partnershipEventSchema = z.discriminatedUnion('type', [
  partnershipEstablishedSchema,
  partnershipAgreementChangedSchema,
  partnerContactInvitedSchema,
  partnerContactJoinedSchema,
  partnerContactRemovedSchema,
  checkInRoundOpenedSchema,
  checkInAnsweredSchema,
  checkInRoundClosedSchema,
  partnershipActionProposedSchema,
  partnershipActionAgreedToSchema,
  partnershipActionAgreedSchema,
  partnershipActionFollowedUpSchema,
  reflectionRecordedSchema,
]);
export type PartnershipEvent = z.infer<typeof partnershipEventSchema>;
