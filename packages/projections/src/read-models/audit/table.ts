import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';

/**
 * Rows whose acting organization is not the one the event concerns: the predicate of the partial index
 * `audit_trail_actor_organization`, which a query must repeat word for word for PostgreSQL to use it.
 */
export const ACTING_FOR_ANOTHER = 'actor_organization_id <> organization_id';

/** Every event as members and auditors read it: who, what about, a summary, and its hash. */
export const auditTrail = table({
  name: 'audit_trail',
  columns: {
    global_position: col.bigint(),
    event_id: col.id(),
    stream_id: col.id(),
    stream_position: col.bigint(),
    type: col.id(),
    recorded_at: col.time(),
    occurred_at: col.time().orNull(),
    actor_person_id: col.id().orNull(),
    actor_organization_id: col.id().orNull(),
    actor_role: col.text().orNull(),
    organization_id: col.id().orNull(),
    body_type: col.text<'coalition' | 'workingGroup'>().orNull(),
    body_group_id: col.id().orNull(),
    proposal_id: col.id().orNull(),
    budget_id: col.id().orNull(),
    line_id: col.id().orNull(),
    group_id: col.id().orNull(),
    grant_call_id: col.id().orNull(),
    summary: col.text(),
    hash: col.text(),
    /** The event's data as recorded (current shape); null on rows written before migration 0006. */
    data: col.json<Record<string, unknown>>().orNull(),
  },
  primaryKey: ['global_position'],
  indexes: [
    { name: 'audit_trail_actor', columns: ['actor_person_id', 'global_position'] },
    // Where the acting organization is also the one concerned, `audit_trail_organization` finds the row
    // (`organization_id` falls back to the actor's): this index holds only the few others (migration 0012).
    {
      name: 'audit_trail_actor_organization',
      columns: ['actor_organization_id', 'global_position'],
      where: ACTING_FOR_ANOTHER,
    },
    {
      name: 'audit_trail_organization',
      columns: ['organization_id', 'global_position'],
      where: 'organization_id IS NOT NULL',
    },
    {
      name: 'audit_trail_proposal',
      columns: ['proposal_id', 'global_position'],
      where: 'proposal_id IS NOT NULL',
    },
    {
      name: 'audit_trail_line',
      columns: ['budget_id', 'line_id', 'global_position'],
      where: 'line_id IS NOT NULL',
    },
    {
      name: 'audit_trail_body',
      columns: ['body_group_id', 'global_position'],
      where: 'body_group_id IS NOT NULL',
    },
    { name: 'audit_trail_type', columns: ['type', 'global_position'] },
    { name: 'audit_trail_recorded', columns: ['recorded_at'] },
  ],
  appendOnly: true,
});

export type AuditRow = RowOf<typeof auditTrail>;

/** The audit trail's table as Kysely sees it. */
export type AuditTables = TablesOf<typeof auditTrail>;
