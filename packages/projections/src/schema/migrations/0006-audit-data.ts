import { type Migration, sql } from 'kysely';

/**
 * The event's recorded data (ids and values, as the domain decided them) on each audit row, so readers can
 * put it in their own words. Rows written before it have none (null) until the read models are rebuilt
 * (`concord rebuild`); the portal shows them by their English summary meanwhile.
 */
export function auditData(schema: string): Migration {
  return {
    async up(db) {
      await sql
        .raw(`ALTER TABLE "${schema}"."audit_trail" ADD COLUMN IF NOT EXISTS "data" jsonb`)
        .execute(db);
    },
  };
}
