import { attachmentRefSchema } from '@concord/domain';
import { z } from 'zod';
import { iso, money } from '../primitives.ts';

// A call as listed and as shown in full share every field but `applications` (a count, or the list).
const grantCallBase = {
  grantCallId: z.string(),
  title: z.string(),
  description: z.string(),
  criteria: z.array(z.string()),
  budgetId: z.string(),
  lineId: z.string(),
  stewardGroupId: z.string().nullable(),
  currency: z.string().nullable(),
  deadline: iso,
  publishedByPersonId: z.string(),
  publishedAt: iso,
  totals: z.object({ requested: money, awarded: money, disbursed: money }),
};

/** A grant call as listed: how many applications, and the amounts requested, awarded and paid. */
export const grantCallViewSchema = z
  .object({ ...grantCallBase, applications: z.int() })
  .meta({ id: 'GrantCall' });
export type GrantCallView = z.infer<typeof grantCallViewSchema>;

const grantApplicationSchema = z.object({
  applicationId: z.string(),
  applicantOrganizationId: z.string(),
  applicantName: z.string(),
  amountRequested: money,
  summary: z.string(),
  submittedByPersonId: z.string(),
  submittedAt: iso,
  reviews: z.array(
    z.object({
      reviewerOrganizationId: z.string(),
      reviewerPersonId: z.string(),
      recommendation: z.string(),
      assessment: z.string(),
      at: iso,
      attachments: z.array(attachmentRefSchema).describe('the documents the review cites'),
    }),
  ),
  attachments: z.array(attachmentRefSchema).describe('the documents the application cites'),
  award: z.object({ amount: money, proposalId: z.string().nullable(), at: iso.nullable() }).nullable(),
  disbursed: money,
  disbursements: z.array(
    z.object({
      position: z.int(),
      amount: money,
      proposalId: z.string().nullable().describe('the adopted proposal that paid it out, if one did'),
      expenseId: z.string().nullable().describe('the approved expense that paid it out, if one did'),
      at: iso,
    }),
  ),
});
/** An application with its reviews, award and payments. */
export type GrantApplicationView = z.infer<typeof grantApplicationSchema>;

/** A grant call with its applications, reviews, awards and payments. */
export const grantCallDetailSchema = z
  .object({ ...grantCallBase, applications: z.array(grantApplicationSchema) })
  .meta({ id: 'GrantCallDetail' });
export type GrantCallDetail = z.infer<typeof grantCallDetailSchema>;
