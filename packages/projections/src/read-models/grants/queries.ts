import { budgetCurrencies } from '../budget/queries.ts';
import type { QueryContext } from '../query-context.ts';
import type { GrantCallDetail, GrantCallView } from './schema.ts';
import type { GrantApplicationRow, GrantCallRow } from './table.ts';
import { grantApplications, grantCalls, grantDisbursements, grantReviews } from './table.ts';

/** The grants read model's part of `ReadModels`. */
export interface GrantQueries {
  grantCalls(): Promise<GrantCallView[]>;
  grantCall(grantCallId: string): Promise<GrantCallDetail | null>;
}

/** Grant calls in the order they were published, and one with everything that happened to it. */
export function grantQueries(context: QueryContext): GrantQueries {
  const { q, all, allOf, allWhere, firstWhere } = context;
  async function callViews(calls: GrantCallRow[]): Promise<GrantCallView[]> {
    if (calls.length === 0) return [];
    const ids = calls.map((call) => call.grant_call_id);
    const apps = await all<GrantApplicationRow>(
      grantApplications,
      q.selectFrom('grant_applications').selectAll().where('grant_call_id', 'in', ids),
    );
    const currencies = await budgetCurrencies(context);
    return calls.map((call) => {
      const own = apps.filter((app) => app.grant_call_id === call.grant_call_id);
      return {
        grantCallId: call.grant_call_id,
        title: call.title,
        description: call.description,
        criteria: call.criteria,
        budgetId: call.budget_id,
        lineId: call.line_id,
        stewardGroupId: call.steward_group_id,
        currency: currencies.get(call.budget_id) ?? null,
        deadline: call.deadline,
        publishedByPersonId: call.published_by_person_id,
        publishedAt: call.published_at,
        applications: own.length,
        totals: {
          requested: own.reduce((total, app) => total + app.amount_requested, 0),
          awarded: own.reduce((total, app) => total + (app.awarded_amount ?? 0), 0),
          disbursed: own.reduce((total, app) => total + app.disbursed, 0),
        },
      };
    });
  }

  return {
    async grantCalls() {
      return callViews(await allOf(grantCalls, 'published_at', 'grant_call_id'));
    },

    async grantCall(grantCallId) {
      const call = await firstWhere(grantCalls, 'grant_call_id', grantCallId);
      if (!call) return null;
      const [view] = await callViews([call]);
      const apps = await allWhere(
        grantApplications,
        'grant_call_id',
        grantCallId,
        'submitted_at',
        'application_id',
      );
      const reviews = await allWhere(grantReviews, 'grant_call_id', grantCallId, 'at');
      const payments = await allWhere(grantDisbursements, 'grant_call_id', grantCallId, 'global_position');
      return {
        ...view!,
        applications: apps.map((app) => ({
          applicationId: app.application_id,
          applicantOrganizationId: app.applicant_organization_id,
          applicantName: app.applicant_name,
          amountRequested: app.amount_requested,
          summary: app.summary,
          submittedByPersonId: app.submitted_by_person_id,
          submittedAt: app.submitted_at,
          reviews: reviews
            .filter((review) => review.application_id === app.application_id)
            .map((review) => ({
              reviewerOrganizationId: review.reviewer_organization_id,
              reviewerPersonId: review.reviewer_person_id,
              recommendation: review.recommendation,
              assessment: review.assessment,
              at: review.at,
              attachments: review.attachments,
            })),
          award:
            app.awarded_amount === null
              ? null
              : { amount: app.awarded_amount, proposalId: app.award_proposal_id, at: app.awarded_at },
          disbursed: app.disbursed,
          attachments: app.attachments,
          disbursements: payments
            .filter((payment) => payment.application_id === app.application_id)
            .map((payment) => ({
              position: payment.global_position,
              amount: payment.amount,
              proposalId: payment.proposal_id,
              expenseId: payment.expense_id,
              at: payment.at,
            })),
        })),
      };
    },
  };
}
