import { iso, type View } from '../view.ts';
import {
  type GrantApplicationRow,
  type GrantCallRow,
  type GrantDisbursementRow,
  type GrantReviewRow,
  grantApplications,
  grantCalls,
  grantDisbursements,
  grantReviews,
} from './table.ts';

/** Grants: calls, applications, reviews, awards and disbursements. */
export const grantsView: View = {
  name: 'grants',
  types: [
    'GrantCallPublished',
    'GrantApplicationSubmitted',
    'GrantApplicationReviewed',
    'GrantAwarded',
    'GrantDisbursed',
    'ExpenseSpent',
  ],
  needs({ event }, uow) {
    switch (event.type) {
      case 'GrantApplicationReviewed':
        uow.want(grantApplications, event.data.grantCallId, event.data.applicationId);
        uow.want(
          grantReviews,
          event.data.grantCallId,
          event.data.applicationId,
          event.data.reviewerOrganizationId,
        );
        break;
      case 'GrantAwarded':
      case 'GrantDisbursed':
        uow.want(grantApplications, event.data.grantCallId, event.data.applicationId);
        break;
      case 'ExpenseSpent':
        if (event.data.grant)
          uow.want(grantApplications, event.data.grant.grantCallId, event.data.grant.applicationId);
        break;
    }
  },
  apply({ event, recorded }, { uow, change }) {
    switch (event.type) {
      case 'GrantCallPublished': {
        const {
          grantCallId,
          title,
          description,
          criteria,
          budgetId,
          lineId,
          stewardGroupId,
          deadline,
          publishedBy,
        } = event.data;
        uow.put<GrantCallRow>(grantCalls, {
          grant_call_id: grantCallId,
          title,
          description,
          criteria,
          budget_id: budgetId,
          line_id: lineId,
          steward_group_id: stewardGroupId,
          deadline: iso(deadline),
          published_by_person_id: publishedBy,
          published_at: iso(event.data.at),
        });
        break;
      }
      case 'GrantApplicationSubmitted': {
        const {
          grantCallId,
          applicationId,
          applicantOrganizationId,
          applicantName,
          amountRequested,
          summary,
          attachments,
        } = event.data;
        uow.put<GrantApplicationRow>(grantApplications, {
          grant_call_id: grantCallId,
          application_id: applicationId,
          applicant_organization_id: applicantOrganizationId,
          applicant_name: applicantName,
          amount_requested: amountRequested,
          summary,
          submitted_by_person_id: event.data.submittedBy,
          submitted_at: iso(event.data.at),
          reviews: 0,
          awarded_amount: null,
          award_proposal_id: null,
          awarded_at: null,
          disbursed: 0,
          attachments,
        });
        break;
      }
      case 'GrantApplicationReviewed': {
        const {
          grantCallId,
          applicationId,
          reviewerOrganizationId,
          reviewerPersonId,
          recommendation,
          assessment,
          attachments,
        } = event.data;
        const application = uow.get<GrantApplicationRow>(grantApplications, grantCallId, applicationId);
        const earlier = uow.get<GrantReviewRow>(
          grantReviews,
          grantCallId,
          applicationId,
          reviewerOrganizationId,
        );
        uow.put<GrantReviewRow>(grantReviews, {
          grant_call_id: grantCallId,
          application_id: applicationId,
          reviewer_organization_id: reviewerOrganizationId,
          reviewer_person_id: reviewerPersonId,
          recommendation,
          assessment,
          at: iso(event.data.at),
          attachments,
        });
        if (application && !earlier) {
          uow.put<GrantApplicationRow>(grantApplications, {
            ...application,
            reviews: application.reviews + 1,
          });
        }
        break;
      }
      case 'GrantAwarded': {
        const { grantCallId, applicationId, amount, execution } = event.data;
        const application = uow.get<GrantApplicationRow>(grantApplications, grantCallId, applicationId);
        if (!application) return;
        uow.put<GrantApplicationRow>(grantApplications, {
          ...application,
          awarded_amount: amount,
          award_proposal_id: execution.proposalId,
          awarded_at: iso(event.data.at),
        });
        break;
      }
      case 'GrantDisbursed':
      case 'ExpenseSpent': {
        // Paid out by an adopted proposal, or by an expense its stewarding group approved.
        const paidOut =
          event.type === 'GrantDisbursed'
            ? { ...event.data, proposalId: event.data.execution.proposalId, expenseId: null }
            : event.data.grant && {
                ...event.data.grant,
                amount: event.data.amount,
                proposalId: null,
                expenseId: event.data.expenseId,
              };
        if (!paidOut) return;
        const { grantCallId, applicationId, amount } = paidOut;
        const application = uow.get<GrantApplicationRow>(grantApplications, grantCallId, applicationId);
        if (application) {
          uow.put<GrantApplicationRow>(grantApplications, {
            ...application,
            disbursed: application.disbursed + amount,
          });
        }
        uow.append<GrantDisbursementRow>(grantDisbursements, {
          global_position: recorded.globalPosition,
          grant_call_id: grantCallId,
          application_id: applicationId,
          amount,
          proposal_id: paidOut.proposalId,
          expense_id: paidOut.expenseId,
          at: iso(event.data.at),
        });
        break;
      }
      default:
        return;
    }
    const grantCallId =
      event.type === 'ExpenseSpent' ? event.data.grant?.grantCallId : event.data.grantCallId;
    if (grantCallId) change({ view: 'grantCall', id: grantCallId });
  },
};
