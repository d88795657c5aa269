import type { Kysely } from 'kysely';
import { type AttachmentQueries, attachmentQueries } from '../read-models/attachments/queries.ts';
import { type AuditQueries, auditQueries } from '../read-models/audit/queries.ts';
import { type BudgetQueries, budgetQueries } from '../read-models/budget/queries.ts';
import { type CharterQueries, charterQueries } from '../read-models/charter/queries.ts';
import { type CheckpointQueries, checkpointQueries } from '../read-models/checkpoint.ts';
import { type ExpenseQueries, expenseQueries } from '../read-models/expenses/queries.ts';
import { type GrantQueries, grantQueries } from '../read-models/grants/queries.ts';
import { type MemberQueries, memberQueries } from '../read-models/members/queries.ts';
import { type PartnershipQueries, partnershipQueries } from '../read-models/partnerships/queries.ts';
import { type ProposalQueries, proposalQueries } from '../read-models/proposals/queries.ts';
import { queryContext } from '../read-models/query-context.ts';
import { type QuestionQueries, questionQueries } from '../read-models/questions/queries.ts';
import { type WorkingGroupQueries, workingGroupQueries } from '../read-models/working-groups/queries.ts';
import { DEFAULT_SCHEMA } from '../schema/migrate.ts';

export type { AuditFilter } from '../read-models/audit/queries.ts';
export type { ProposalFilter } from '../read-models/proposals/queries.ts';

/** Every read model's queries: each folder under `read-models/` contributes its own. */
export interface ReadModels
  extends CheckpointQueries,
    AuditQueries,
    AttachmentQueries,
    BudgetQueries,
    CharterQueries,
    GrantQueries,
    MemberQueries,
    ProposalQueries,
    QuestionQueries,
    ExpenseQueries,
    PartnershipQueries,
    WorkingGroupQueries {}

/** Typed queries over the read models in `schema` (default `readmodel`). */
export function readModels(db: Kysely<unknown>, schema: string = DEFAULT_SCHEMA): ReadModels {
  const context = queryContext(db, schema);
  return {
    ...checkpointQueries(context),
    ...auditQueries(context),
    ...attachmentQueries(context),
    ...budgetQueries(context),
    ...charterQueries(context),
    ...grantQueries(context),
    ...memberQueries(context),
    ...proposalQueries(context),
    ...questionQueries(context),
    ...expenseQueries(context),
    ...partnershipQueries(context),
    ...workingGroupQueries(context),
  };
}
