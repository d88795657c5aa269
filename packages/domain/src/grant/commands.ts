import { z } from 'zod';
import { budgetFactsSchema } from '../budget/facts.ts';
import { attachmentsSchema } from '../shared/attachment.ts';
import { executionSchema } from '../shared/execution.ts';
import { commandSchema } from '../shared/messages.ts';
import {
  idSchema,
  LIST_LIMITS,
  positiveAmountSchema,
  textSchema,
  timestampSchema,
} from '../shared/primitives.ts';
import { stewardContextSchema, workingGroupFactsSchema } from '../working-group/facts.ts';

/** What a reviewer recommends for an application. */
export const recommendationSchema = z
  .enum(['fund', 'doNotFund', 'revise'])
  .meta({ id: 'Recommendation', description: 'what a reviewer recommends' });

/**
 * A representative of the stewarding group of a grants line publishes a call (a fund round).
 * Context: `budget` = `budgetFacts` of the call's budget; `stewardGroup` = `workingGroupFacts` of the
 * line's stewarding group (null when the full coalition stewards the line).
 */
export const publishGrantCallSchema = commandSchema('PublishGrantCall', 'Publish a grant call', {
  grantCallId: idSchema,
  title: textSchema,
  description: textSchema,
  criteria: z.array(textSchema).min(1).max(50),
  budgetId: idSchema,
  lineId: idSchema,
  deadline: timestampSchema,
  context: z.object({
    budget: budgetFactsSchema.nullable(),
    stewardGroup: workingGroupFactsSchema.nullable(),
  }),
});

/** An application as submitted: the command's and its event's fields. */
export const grantApplicationFields = {
  grantCallId: idSchema,
  applicationId: idSchema,
  applicantOrganizationId: idSchema,
  applicantName: textSchema,
  amountRequested: positiveAmountSchema,
  summary: textSchema,
  attachments: attachmentsSchema,
};

/**
 * An organization applies before the deadline: a representative for their own organization, or a
 * facilitator on behalf of an organization outside the coalition — never for a member, which applies
 * itself. Context: `applicantIsMember` = whether the applicant is a member organization now.
 */
export const submitGrantApplicationSchema = commandSchema('SubmitGrantApplication', 'Apply to a grant call', {
  ...grantApplicationFields,
  context: z.object({ applicantIsMember: z.boolean() }),
});

/**
 * A representative of the stewarding group reviews an application; never its own organization's.
 * Context: `stewardGroup` = `workingGroupFacts` of the call's stewarding group (null: the full coalition).
 */
export const reviewGrantApplicationSchema = commandSchema(
  'ReviewGrantApplication',
  'Review a grant application',
  {
    grantCallId: idSchema,
    applicationId: idSchema,
    recommendation: recommendationSchema,
    assessment: textSchema,
    attachments: attachmentsSchema,
    context: stewardContextSchema,
  },
);

/** An amount an adopted proposal decided for one grant: its award, and each payment of it. */
export const grantAmountFields = {
  grantCallId: idSchema,
  applicationId: idSchema,
  amount: positiveAmountSchema,
  execution: executionSchema,
};

/** System only: records the award decided by an adopted grant-award proposal. */
export const awardGrantSchema = commandSchema(
  'AwardGrant',
  'Record an adopted grant award',
  grantAmountFields,
);

/** System only: records the payments of grants in this call decided by an adopted budget-change proposal. */
export const recordGrantDisbursementsSchema = commandSchema(
  'RecordGrantDisbursements',
  'Record adopted payments of awarded grants',
  {
    grantCallId: idSchema,
    payments: z
      .array(z.object({ applicationId: idSchema, amount: positiveAmountSchema }))
      .min(1)
      .max(LIST_LIMITS.changes),
    execution: executionSchema,
  },
);

/** Every command of the grant-call aggregate. */
export const grantCallCommandSchema = z.discriminatedUnion('type', [
  publishGrantCallSchema,
  submitGrantApplicationSchema,
  reviewGrantApplicationSchema,
  awardGrantSchema,
  recordGrantDisbursementsSchema,
]);
export type GrantCallCommand = z.infer<typeof grantCallCommandSchema>;
