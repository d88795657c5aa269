import { z } from 'zod';
import { idSchema, positiveAmountSchema } from '../shared/primitives.ts';
import type { GrantCallState } from './decider.ts';

/**
 * What a grant-award proposal needs to know about the application it awards. Built by
 * `grantApplicationFacts(state, applicationId)` from the grant call's own stream.
 */
export const grantApplicationFactsSchema = z.object({
  grantCallId: idSchema,
  applicationId: idSchema,
  applicantOrganizationId: idSchema,
  budgetId: idSchema,
  lineId: idSchema,
  amountRequested: positiveAmountSchema,
  reviewCount: z.int().min(0),
  awarded: z.boolean(),
});
export type GrantApplicationFacts = z.infer<typeof grantApplicationFactsSchema>;

/** The facts of one application, or null when the call or the application does not exist. */
export function grantApplicationFacts(
  state: GrantCallState,
  applicationId: string,
): GrantApplicationFacts | null {
  if (state.status === 'none') return null;
  const application = state.applications[applicationId];
  if (!application) return null;
  return {
    grantCallId: state.grantCallId,
    applicationId,
    applicantOrganizationId: application.applicantOrganizationId,
    budgetId: state.budgetId,
    lineId: state.lineId,
    amountRequested: application.amountRequested,
    reviewCount: Object.keys(application.reviews).length,
    awarded: application.awarded !== null,
  };
}
