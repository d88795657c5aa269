import { type Migration, sql } from 'kysely';

/**
 * The acting organization's audit index holds only the rows whose actor acted for another organization
 * (ADR 0045): the organization filter finds every other row by `organization_id`, which falls back to the
 * actor's organization.
 */
export function auditActingOrganization(schema: string): Migration {
  const statements = [
    `DROP INDEX IF EXISTS "${schema}"."audit_trail_actor_organization"`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_actor_organization" ON "${schema}"."audit_trail" ("actor_organization_id", "global_position") WHERE actor_organization_id <> organization_id`,
  ];
  return {
    async up(db) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
