import { type Migration, sql } from 'kysely';

/**
 * The documents a proposal's revisions and comments and a grant application and its reviews cite (issue
 * 16, part 3), as their views show them. Histories before documents cite none: the default fills the rows there are, then goes.
 */
export function recordDocuments(schema: string): Migration {
  const statements = [
    'proposal_revisions',
    'proposal_comments',
    'grant_applications',
    'grant_reviews',
  ].flatMap((table) => [
    `ALTER TABLE "${schema}"."${table}" ADD COLUMN IF NOT EXISTS "attachments" jsonb NOT NULL DEFAULT '[]'`,
    `ALTER TABLE "${schema}"."${table}" ALTER COLUMN "attachments" DROP DEFAULT`,
  ]);
  return {
    async up(db) {
      // One statement per call: PGlite's extended protocol refuses several in one.
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
