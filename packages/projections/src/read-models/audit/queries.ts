import { sql } from 'kysely';
import { bodyOf } from '../deciding-body.ts';
import type { QueryContext } from '../query-context.ts';
import type { AuditEntry } from './schema.ts';
import type { AuditRow } from './table.ts';
import { ACTING_FOR_ANOTHER, auditTrail } from './table.ts';

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

/** The audit read model's part of `ReadModels`. */
export interface AuditQueries {
  auditTrail(filter?: AuditFilter): Promise<{ entries: AuditEntry[]; next: number | null }>;
}

/** The audit trail, filtered and paged by position, oldest or newest first. */
export function auditQueries({ q, all }: QueryContext): AuditQueries {
  return {
    async auditTrail(filter = {}) {
      const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000);
      let query = q.selectFrom('audit_trail').selectAll();
      if (filter.actor) query = query.where('actor_person_id', '=', filter.actor);
      if (filter.organization) {
        const organization = filter.organization;
        // Acting or concerned. `organization_id` already holds the actor's organization when the event
        // names no other, so the second arm looks only at rows acting for another (its partial index).
        query = query.where((eb) =>
          eb.or([
            eb('organization_id', '=', organization),
            eb.and([eb('actor_organization_id', '=', organization), sql.raw<boolean>(ACTING_FOR_ANOTHER)]),
          ]),
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
      const found = await all<AuditRow>(
        auditTrail,
        query.orderBy('global_position', newestFirst ? 'desc' : 'asc').limit(limit + 1),
      );
      const page = found.slice(0, limit);
      return {
        entries: page.map(toAuditEntry),
        next: found.length > limit ? page[page.length - 1]!.global_position : null,
      };
    },
  };
}

/** An audit row as members read it (the projector pushes these to live clients after each batch too). */
export function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    position: row.global_position,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamPosition: row.stream_position,
    type: row.type,
    recordedAt: row.recorded_at,
    occurredAt: row.occurred_at,
    actor: { personId: row.actor_person_id, organizationId: row.actor_organization_id, role: row.actor_role },
    organizationId: row.organization_id,
    body: bodyOf(row.body_type, row.body_group_id),
    proposalId: row.proposal_id,
    budgetId: row.budget_id,
    lineId: row.line_id,
    groupId: row.group_id,
    grantCallId: row.grant_call_id,
    summary: row.summary,
    hash: row.hash,
    data: row.data,
  };
}
