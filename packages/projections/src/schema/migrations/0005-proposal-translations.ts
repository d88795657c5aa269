import { type Migration, sql } from 'kysely';

/** Members' translations of proposals, comments and stance reasons: the latest per item and language. */
export function proposalTranslations(schema: string): Migration {
  return {
    async up(db) {
      await sql
        .raw(
          `CREATE TABLE IF NOT EXISTS "${schema}"."proposal_translations" (
  "proposal_id" text COLLATE "C" NOT NULL,
  "item_key" text COLLATE "C" NOT NULL,
  "item" jsonb NOT NULL,
  "language" text COLLATE "C" NOT NULL,
  "source_language" text COLLATE "C" NOT NULL,
  "version" integer NOT NULL,
  "title" text,
  "text" text NOT NULL,
  "person_id" text COLLATE "C" NOT NULL,
  "organization_id" text COLLATE "C" NOT NULL,
  "at" timestamptz NOT NULL,
  "global_position" bigint NOT NULL,
  CONSTRAINT "proposal_translations_pkey" PRIMARY KEY ("proposal_id", "item_key", "language")
)`,
        )
        .execute(db);
    },
  };
}
