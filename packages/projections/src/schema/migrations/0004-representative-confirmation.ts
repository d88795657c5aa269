import { type Migration, sql } from 'kysely';

/**
 * Representatives without names (they live in the personal-data store, never in events) and with the
 * organization's confirmation. Rows written before it were invitations under the old rule, under which an
 * invitation was as good as confirmed.
 */
export function representativeConfirmation(schema: string): Migration {
  return {
    async up(db) {
      await sql
        .raw(
          `ALTER TABLE "${schema}"."representatives"
             DROP COLUMN IF EXISTS "name",
             ADD COLUMN IF NOT EXISTS "confirmed" boolean NOT NULL DEFAULT true`,
        )
        .execute(db);
      await sql
        .raw(`ALTER TABLE "${schema}"."representatives" ALTER COLUMN "confirmed" DROP DEFAULT`)
        .execute(db);
    },
  };
}
