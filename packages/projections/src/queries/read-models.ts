import type { Kysely } from 'kysely';
import { normalizeRow } from '../projector/sql.ts';
import { type BudgetQueries, budgetQueries } from '../read-models/budget/queries.ts';
import { type CharterQueries, charterQueries } from '../read-models/charter/queries.ts';
import { type GrantQueries, grantQueries } from '../read-models/grants/queries.ts';
import { type MemberQueries, memberQueries } from '../read-models/members/queries.ts';
import {
  type ProposalFilter,
  type ProposalQueries,
  proposalQueries,
} from '../read-models/proposals/queries.ts';
import { queryContext } from '../read-models/query-context.ts';
import { type QuestionQueries, questionQueries } from '../read-models/questions/queries.ts';
import { type WorkingGroupQueries, workingGroupQueries } from '../read-models/working-groups/queries.ts';

import { DEFAULT_SCHEMA } from '../schema/migrate.ts';
import { type AuditRow, auditTrail, type CheckpointRow, checkpoints } from '../schema/tables.ts';
import { type AuditEntry, type CheckpointView, toAuditEntry } from './types.ts';

export type { ProposalFilter };

export interface AuditFilter {
  /** A person id. */
  actor?: string;
  /** An organization acting or concerned. */
  organization?: string;
  /** `coalition`, or a working group id. */
  body?: string;
  proposal?: string;
  line?: string;
  budget?: string;
  type?: string;
  /** Recorded at or after (ISO time). */
  from?: string;
  /** Recorded at or before (ISO time). */
  to?: string;
  /** Paging: entries after this global position (oldest first). */
  after?: number;
  /** `newest` lists the latest entries first (paged with `before`); `oldest` (the default) the first. */
  order?: 'oldest' | 'newest';
  /** Paging, newest first: entries before this global position. */
  before?: number;
  /** At most 1000; default 100. */
  limit?: number;
}

export interface ReadModels
  extends BudgetQueries,
    ProposalQueries,
    CharterQueries,
    GrantQueries,
    MemberQueries,
    QuestionQueries,
    WorkingGroupQueries {
  checkpoint(): Promise<CheckpointView | null>;
  auditTrail(filter?: AuditFilter): Promise<{ entries: AuditEntry[]; next: number | null }>;
}

/** Typed queries over the read models in `schema` (default `readmodel`). */
export function readModels(db: Kysely<unknown>, schema: string = DEFAULT_SCHEMA): ReadModels {
  const context = queryContext(db, schema);
  const { q, rows } = context;

  return {
    ...budgetQueries(context),
    ...charterQueries(context),
    ...grantQueries(context),
    ...memberQueries(context),
    ...proposalQueries(context),
    ...questionQueries(context),
    ...workingGroupQueries(context),
    async checkpoint() {
      const row = await q
        .selectFrom('checkpoints')
        .selectAll()
        .where('name', '=', 'projector')
        .executeTakeFirst();
      if (!row) return null;
      const normalized = normalizeRow<CheckpointRow>(checkpoints, row as unknown as Record<string, unknown>);
      return { position: normalized.position, events: normalized.events, updatedAt: normalized.updated_at };
    },

    async auditTrail(filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      let query = q.selectFrom('audit_trail').selectAll();
      if (filter.actor) query = query.where('actor_person_id', '=', filter.actor);
      if (filter.organization) {
        const organization = filter.organization;
        query = query.where((eb) =>
          eb.or([eb('organization_id', '=', organization), eb('actor_organization_id', '=', organization)]),
        );
      }
      if (filter.body === 'coalition') query = query.where('body_type', '=', 'coalition');
      else if (filter.body) query = query.where('body_group_id', '=', filter.body);
      if (filter.proposal) query = query.where('proposal_id', '=', filter.proposal);
      if (filter.budget) query = query.where('budget_id', '=', filter.budget);
      if (filter.line) query = query.where('line_id', '=', filter.line);
      if (filter.type) query = query.where('type', '=', filter.type);
      if (filter.from) query = query.where('recorded_at', '>=', new Date(filter.from).toISOString());
      if (filter.to) query = query.where('recorded_at', '<=', new Date(filter.to).toISOString());
      if (filter.after !== undefined) query = query.where('global_position', '>', filter.after);
      if (filter.before !== undefined) query = query.where('global_position', '<', filter.before);
      const newestFirst = filter.order === 'newest';
      const found = rows<AuditRow>(
        auditTrail,
        await query
          .orderBy('global_position', newestFirst ? 'desc' : 'asc')
          .limit(limit + 1)
          .execute(),
      );
      const page = found.slice(0, limit);
      return {
        entries: page.map(toAuditEntry),
        next: found.length > limit ? page[page.length - 1]!.global_position : null,
      };
    },
  };
}
