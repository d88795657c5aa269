import { z } from 'zod';
import { attachmentsSchema } from '../shared/attachment.ts';
import { eventSchema } from '../shared/messages.ts';
import { idSchema, textSchema, timestampSchema } from '../shared/primitives.ts';
import { grantAmountFields, grantApplicationFields, recommendationSchema } from './commands.ts';

export const grantCallPublishedSchema = eventSchema(
  'GrantCallPublished',
  'The stewarding group published a grant call on a grants line.',
  {
    grantCallId: idSchema,
    title: textSchema,
    description: textSchema,
    criteria: z.array(textSchema).max(50),
    budgetId: idSchema,
    lineId: idSchema,
    stewardGroupId: idSchema.nullable(),
    deadline: timestampSchema,
    publishedBy: idSchema,
  },
);

export const grantApplicationSubmittedSchema = eventSchema(
  'GrantApplicationSubmitted',
  'An organization applied to a grant call.',
  {
    ...grantApplicationFields,
    submittedBy: idSchema,
  },
);

export const grantApplicationReviewedSchema = eventSchema(
  'GrantApplicationReviewed',
  "A member of the stewarding group reviewed an application (an organization's later review replaces its earlier one).",
  {
    grantCallId: idSchema,
    applicationId: idSchema,
    reviewerOrganizationId: idSchema,
    reviewerPersonId: idSchema,
    recommendation: recommendationSchema,
    assessment: textSchema,
    attachments: attachmentsSchema,
  },
);

export const grantAwardedSchema = eventSchema(
  'GrantAwarded',
  'An adopted grant-award proposal awarded a grant.',
  grantAmountFields,
);

export const grantDisbursedSchema = eventSchema(
  'GrantDisbursed',
  'An adopted proposal paid out part of a grant.',
  grantAmountFields,
);

/** Every event of the grant-call aggregate (stream `grantcall-<grantCallId>`). */
export const grantCallEventSchema = z.discriminatedUnion('type', [
  grantCallPublishedSchema,
  grantApplicationSubmittedSchema,
  grantApplicationReviewedSchema,
  grantAwardedSchema,
  grantDisbursedSchema,
]);
export type GrantCallEvent = z.infer<typeof grantCallEventSchema>;
