import { attachmentRefSchema } from '@concord/domain';
import { z } from 'zod';
import { iso, money } from '../primitives.ts';

/** Where an expense stands; `spent`: approved, its amount taken from the line; `paid`: and paid. */
export const expenseStatusSchema = z.enum(['submitted', 'spent', 'paid', 'rejected', 'withdrawn']);

/** An expense against a line: what it is for, its receipts, its approvals and where it stands. */
export const expenseViewSchema = z
  .object({
    budgetId: z.string(),
    expenseId: z.string(),
    lineId: z.string(),
    amount: money,
    description: z.string(),
    payeeOrganizationId: z.string().nullable(),
    payeeName: z.string().nullable(),
    spentOn: z.string(),
    receipts: z.array(attachmentRefSchema),
    grant: z
      .object({ grantCallId: z.string(), applicationId: z.string() })
      .nullable()
      .describe('the awarded grant it pays out, if it is a disbursement'),
    submittedBy: z.object({ organizationId: z.string(), personId: z.string() }),
    submittedAt: iso,
    approverGroupId: z.string(),
    approvalsNeeded: z.int(),
    approvals: z.array(z.object({ organizationId: z.string(), personId: z.string(), at: iso })),
    status: expenseStatusSchema,
    reason: z.string().nullable().describe('why it was rejected or withdrawn'),
    paymentReference: z.string().nullable(),
    endedBy: z
      .string()
      .nullable()
      .describe('the organization that approved last, rejected, withdrew or paid'),
    endedAt: iso.nullable(),
    position: z.int(),
  })
  .meta({ id: 'Expense' });
export type ExpenseView = z.infer<typeof expenseViewSchema>;
