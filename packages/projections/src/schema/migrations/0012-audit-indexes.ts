import { type Migration, sql } from 'kysely';

/**
 * Two of the audit trail's indexes made smaller (ADR 0045): the acting organization's holds only rows
 * whose actor acted for another organization (the others are found by `organization_id`), and the
 * recording time's is a BRIN index, since rows come in the order they were recorded.
 */
export function auditIndexes(schema: string): Migration {
  const statements = [
    `DROP INDEX IF EXISTS "${schema}"."audit_trail_actor_organization"`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_actor_organization" ON "${schema}"."audit_trail" ("actor_organization_id", "global_position") WHERE actor_organization_id <> organization_id`,
    `DROP INDEX IF EXISTS "${schema}"."audit_trail_recorded"`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_recorded" ON "${schema}"."audit_trail" USING brin ("recorded_at")`,
  ];
  return {
    async up(db) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
