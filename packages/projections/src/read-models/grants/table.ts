import type { AttachmentRef } from '@concord/domain';
import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';

/** Grant calls published on a budget line. */
export const grantCalls = table({
  name: 'grant_calls',
  columns: {
    grant_call_id: col.id(),
    title: col.text(),
    description: col.text(),
    criteria: col.json<string[]>(),
    budget_id: col.id(),
    line_id: col.id(),
    steward_group_id: col.id().orNull(),
    deadline: col.time(),
    published_by_person_id: col.id(),
    published_at: col.time(),
  },
  primaryKey: ['grant_call_id'],
  indexes: [],
});

/** Applications to a call, with their award and what was paid out. */
export const grantApplications = table({
  name: 'grant_applications',
  columns: {
    grant_call_id: col.id(),
    application_id: col.id(),
    applicant_organization_id: col.id(),
    applicant_name: col.text(),
    amount_requested: col.bigint(),
    summary: col.text(),
    submitted_by_person_id: col.id(),
    submitted_at: col.time(),
    reviews: col.integer(),
    awarded_amount: col.bigint().orNull(),
    award_proposal_id: col.id().orNull(),
    awarded_at: col.time().orNull(),
    disbursed: col.bigint(),
    /** The documents the application cites. */
    attachments: col.json<AttachmentRef[]>(),
  },
  primaryKey: ['grant_call_id', 'application_id'],
  indexes: [],
});

/** Reviews of an application, one per reviewing organization. */
export const grantReviews = table({
  name: 'grant_reviews',
  columns: {
    grant_call_id: col.id(),
    application_id: col.id(),
    reviewer_organization_id: col.id(),
    reviewer_person_id: col.id(),
    recommendation: col.text<'fund' | 'doNotFund' | 'revise'>(),
    assessment: col.text(),
    at: col.time(),
    /** The documents the review cites. */
    attachments: col.json<AttachmentRef[]>(),
  },
  primaryKey: ['grant_call_id', 'application_id', 'reviewer_organization_id'],
  indexes: [],
});

/** Every payment of an awarded grant, with the adopted proposal that decided it. */
export const grantDisbursements = table({
  name: 'grant_disbursements',
  columns: {
    global_position: col.bigint(),
    grant_call_id: col.id(),
    application_id: col.id(),
    amount: col.bigint(),
    /** The adopted proposal that paid it out, or null when the expense approvals did. */
    proposal_id: col.id().orNull(),
    at: col.time(),
    /** The approved expense that paid it out, if any. */
    expense_id: col.id().orNull(),
  },
  primaryKey: ['global_position'],
  indexes: [{ name: 'grant_disbursements_application', columns: ['grant_call_id', 'application_id'] }],
  appendOnly: true,
});

export type GrantCallRow = RowOf<typeof grantCalls>;
export type GrantApplicationRow = RowOf<typeof grantApplications>;
export type GrantReviewRow = RowOf<typeof grantReviews>;
export type GrantDisbursementRow = RowOf<typeof grantDisbursements>;

/** The grants read model's tables as Kysely sees them. */
export type GrantTables = TablesOf<
  typeof grantCalls | typeof grantApplications | typeof grantReviews | typeof grantDisbursements
>;
