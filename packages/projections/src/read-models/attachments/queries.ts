import type { QueryContext } from '../query-context.ts';
import type { AttachmentCitation } from './schema.ts';
import { type AttachmentCitationRow, attachmentCitations } from './table.ts';

/** The attachments read model's part of `ReadModels`. */
export interface AttachmentQueries {
  /**
   * Every record the document `sha256` is attached to, oldest first, each with the member organizations
   * it concerns now: for an expense, the submitting and payee organizations and the approving group's
   * members; for a proposal or comment, the proposer's and the author's organizations and the deciding
   * body's members (every member if it is the coalition; none yet for a draft); for an application or
   * review, the applicant's and the reviewer's organizations and the call's group (every member if none).
   */
  attachmentCitations(sha256: string): Promise<AttachmentCitation[]>;
}

type Concerned = AttachmentCitation['concerned'];

export function attachmentQueries({ q, allWhere }: QueryContext): AttachmentQueries {
  async function groupMembers(groupId: string): Promise<string[]> {
    const rows = await q
      .selectFrom('working_group_members')
      .select('organization_id')
      .where('group_id', '=', groupId)
      .execute();
    return rows.map((row) => row.organization_id);
  }

  const orgs = (...ids: (string | null | undefined)[]) =>
    ids.filter((id): id is string => typeof id === 'string');

  async function concerned(row: AttachmentCitationRow): Promise<Concerned> {
    switch (row.kind) {
      case 'expense': {
        const expense = await q
          .selectFrom('expenses')
          .select(['submitted_by_organization_id', 'payee_organization_id', 'approver_group_id'])
          .where('budget_id', '=', row.parent_id)
          .where('expense_id', '=', row.item_id)
          .executeTakeFirst();
        if (!expense) return orgs(row.organization_id);
        return orgs(
          row.organization_id,
          expense.submitted_by_organization_id,
          expense.payee_organization_id,
          ...(await groupMembers(expense.approver_group_id)),
        );
      }
      case 'proposal':
      case 'comment': {
        const proposal = await q
          .selectFrom('proposals')
          .select(['proposer_organization_id', 'deciding_body_type', 'deciding_group_id'])
          .where('proposal_id', '=', row.parent_id)
          .executeTakeFirst();
        if (!proposal) return orgs(row.organization_id);
        if (proposal.deciding_body_type === 'coalition') return 'everyMember';
        const body =
          proposal.deciding_body_type === 'workingGroup' && proposal.deciding_group_id
            ? await groupMembers(proposal.deciding_group_id)
            : [];
        return orgs(row.organization_id, proposal.proposer_organization_id, ...body);
      }
      // Evidence of a check-in answer: the answering organization's (a partner reads only what it gave).
      case 'checkIn':
        return orgs(row.organization_id);
      case 'grantApplication':
      case 'grantReview': {
        const call = await q
          .selectFrom('grant_calls')
          .select('steward_group_id')
          .where('grant_call_id', '=', row.parent_id)
          .executeTakeFirst();
        if (call && call.steward_group_id === null) return 'everyMember';
        const application = await q
          .selectFrom('grant_applications')
          .select('applicant_organization_id')
          .where('grant_call_id', '=', row.parent_id)
          .where('application_id', '=', row.item_id)
          .executeTakeFirst();
        const group = call?.steward_group_id ? await groupMembers(call.steward_group_id) : [];
        return orgs(row.organization_id, application?.applicant_organization_id, ...group);
      }
    }
  }

  return {
    async attachmentCitations(sha256) {
      const rows = await allWhere(attachmentCitations, 'sha256', sha256, 'global_position');
      return Promise.all(
        rows.map(async (row) => ({
          kind: row.kind,
          parentId: row.parent_id,
          itemId: row.item_id,
          globalPosition: row.global_position,
          personId: row.person_id,
          restricted: row.restricted,
          concerned: await concerned(row),
        })),
      );
    },
  };
}
