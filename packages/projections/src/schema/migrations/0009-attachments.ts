import { type Migration, sql } from 'kysely';

/** Attachments (issue 16, part 3): where each document is cited, by the SHA-256 of its bytes. */
export function attachments(schema: string): Migration {
  const statements = [
    `CREATE TABLE IF NOT EXISTS "${schema}"."attachment_citations" (
  "sha256" text COLLATE "C" NOT NULL,
  "global_position" bigint NOT NULL,
  "kind" text NOT NULL,
  "parent_id" text COLLATE "C" NOT NULL,
  "item_id" text COLLATE "C" NOT NULL,
  "organization_id" text COLLATE "C",
  "person_id" text COLLATE "C" NOT NULL,
  "restricted" boolean NOT NULL,
  CONSTRAINT "attachment_citations_pkey" PRIMARY KEY ("sha256", "global_position")
)`,
  ];
  return {
    async up(db) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
