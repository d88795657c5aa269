import { citedAttachments } from '@concord/domain';
import type { ProjectedEvent } from '../../projector/decode.ts';
import type { View } from '../view.ts';
import type { AttachmentKind } from './schema.ts';
import { type AttachmentCitationRow, attachmentCitations } from './table.ts';

interface Cited {
  kind: AttachmentKind;
  parentId: string;
  itemId: string;
  organizationId: string | null;
  personId: string;
}

/** What a citing event attaches its documents to, and who attached them. */
function citedBy({ event }: ProjectedEvent): Cited | null {
  switch (event.type) {
    case 'ExpenseSubmitted': {
      const d = event.data;
      const by = { organizationId: d.organizationId, personId: d.personId };
      return { kind: 'expense', parentId: d.budgetId, itemId: d.expenseId, ...by };
    }
    case 'GrantApplicationSubmitted': {
      const d = event.data;
      return {
        kind: 'grantApplication',
        parentId: d.grantCallId,
        itemId: d.applicationId,
        organizationId: d.applicantOrganizationId,
        personId: d.submittedBy,
      };
    }
    case 'GrantApplicationReviewed': {
      const d = event.data;
      return {
        kind: 'grantReview',
        parentId: d.grantCallId,
        itemId: d.applicationId,
        organizationId: d.reviewerOrganizationId,
        personId: d.reviewerPersonId,
      };
    }
    case 'ProposalDrafted': {
      const d = event.data;
      const { personId, organizationId } = d.proposer;
      return { kind: 'proposal', parentId: d.proposalId, itemId: d.proposalId, organizationId, personId };
    }
    case 'ProposalAmended': {
      const d = event.data;
      // The proposer amends: their organization is the proposal's, read from the draft when asked.
      return {
        kind: 'proposal',
        parentId: d.proposalId,
        itemId: d.proposalId,
        organizationId: null,
        personId: d.amendedBy,
      };
    }
    case 'ProposalCommented': {
      const d = event.data;
      const by = { organizationId: d.organizationId, personId: d.personId };
      return { kind: 'comment', parentId: d.proposalId, itemId: d.commentId, ...by };
    }
    case 'CheckInAnswered': {
      const d = event.data;
      const by = { organizationId: d.organizationId, personId: d.answeredBy };
      return { kind: 'checkIn', parentId: d.partnershipId, itemId: d.roundId, ...by };
    }
    default:
      return null;
  }
}

/**
 * Attachments: every document an event cites, with what it is attached to and whether the person who
 * attached it marked it restricted. Rows are only ever added: a document once attached stays attached.
 */
export const attachmentsView: View = {
  name: 'attachments',
  types: [
    'ExpenseSubmitted',
    'GrantApplicationSubmitted',
    'GrantApplicationReviewed',
    'ProposalDrafted',
    'ProposalAmended',
    'ProposalCommented',
    'CheckInAnswered',
  ],
  needs() {},
  apply(projected, { uow }) {
    const cited = citedBy(projected);
    if (!cited) return;
    for (const ref of citedAttachments(projected.event)) {
      uow.append<AttachmentCitationRow>(attachmentCitations, {
        sha256: ref.sha256,
        global_position: projected.recorded.globalPosition,
        kind: cited.kind,
        parent_id: cited.parentId,
        item_id: cited.itemId,
        organization_id: cited.organizationId,
        person_id: cited.personId,
        restricted: ref.restricted,
      });
    }
  },
};
