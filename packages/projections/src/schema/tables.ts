import { type AttachmentTables, attachmentCitations } from '../read-models/attachments/table.ts';
import { type AuditTables, auditTrail } from '../read-models/audit/table.ts';
import { type BudgetTables, budgetLineHistory, budgetLines, budgets } from '../read-models/budget/table.ts';
import { type CharterTables, charter, charterHistory, charterSops } from '../read-models/charter/table.ts';
import { type ExpenseTables, expenses } from '../read-models/expenses/table.ts';
import {
  type GrantTables,
  grantApplications,
  grantCalls,
  grantDisbursements,
  grantReviews,
} from '../read-models/grants/table.ts';
import { type MemberTables, members, representatives } from '../read-models/members/table.ts';
import {
  type PartnershipTables,
  partnershipActions,
  partnershipAnswers,
  partnershipContacts,
  partnershipReflections,
  partnershipRounds,
  partnerships,
} from '../read-models/partnerships/table.ts';
import {
  type ProposalTables,
  proposalComments,
  proposalRevisions,
  proposalStances,
  proposals,
  proposalTranslations,
} from '../read-models/proposals/table.ts';
import { budgetQuestions, type QuestionTables } from '../read-models/questions/table.ts';
import {
  type WorkingGroupTables,
  workingGroupMembers,
  workingGroups,
} from '../read-models/working-groups/table.ts';
import { col, type RowOf, table } from './columns.ts';

/** Where the projector is: the last applied global position and how many events it applied. */
export const checkpoints = table({
  name: 'checkpoints',
  columns: {
    name: col.text(),
    position: col.bigint(),
    events: col.bigint(),
    updated_at: col.time(),
  },
  primaryKey: ['name'],
  indexes: [],
});

/**
 * Every read-model table, in the order they are created. Each read model defines its own in its folder
 * (`read-models/<name>/table.ts`); the migrations are frozen SQL (`migrations/`), checked against these.
 */
export const tables = [
  checkpoints,
  budgets,
  budgetLines,
  budgetLineHistory,
  budgetQuestions,
  expenses,
  proposals,
  proposalStances,
  proposalComments,
  proposalRevisions,
  proposalTranslations,
  workingGroups,
  workingGroupMembers,
  members,
  representatives,
  grantCalls,
  grantApplications,
  grantReviews,
  grantDisbursements,
  charter,
  charterSops,
  charterHistory,
  auditTrail,
  attachmentCitations,
  partnerships,
  partnershipContacts,
  partnershipRounds,
  partnershipAnswers,
  partnershipActions,
  partnershipReflections,
] as const;

/** The tables the views write (everything but the checkpoint). */
export const viewTables = tables.filter((spec) => spec !== checkpoints);

export type CheckpointRow = RowOf<typeof checkpoints>;

/** The read-model schema as Kysely sees it (values as read back before normalization may differ). */
export interface ReadModelDatabase
  extends BudgetTables,
    QuestionTables,
    ExpenseTables,
    MemberTables,
    WorkingGroupTables,
    CharterTables,
    GrantTables,
    ProposalTables,
    AttachmentTables,
    PartnershipTables,
    AuditTables {
  checkpoints: CheckpointRow;
}
