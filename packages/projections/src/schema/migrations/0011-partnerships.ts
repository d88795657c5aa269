import { type Migration, sql } from 'kysely';

/**
 * Partnerships: each partnership with its current agreement, its partners' contacts, its check-in rounds
 * and every organization's latest answer, the actions the parties agreed with their follow-ups, and the
 * reflections they recorded. Identifiers in byte order, as 0003 put the others.
 */
export function partnerships(schema: string): Migration {
  const statements = [
    `CREATE TABLE IF NOT EXISTS "${schema}"."partnerships" (
  "partnership_id" text COLLATE "C" NOT NULL,
  "title" text NOT NULL,
  "partners" jsonb NOT NULL,
  "agreement" jsonb NOT NULL,
  "check_in_every_months" integer NOT NULL,
  "established_at" timestamptz NOT NULL,
  "established_by_proposal_id" text COLLATE "C" NOT NULL,
  "agreement_changed_at" timestamptz,
  "agreement_proposal_id" text COLLATE "C" NOT NULL,
  "updated_at" timestamptz NOT NULL,
  CONSTRAINT "partnerships_pkey" PRIMARY KEY ("partnership_id")
)`,
    `CREATE TABLE IF NOT EXISTS "${schema}"."partnership_contacts" (
  "partnership_id" text COLLATE "C" NOT NULL,
  "person_id" text COLLATE "C" NOT NULL,
  "organization_id" text COLLATE "C" NOT NULL,
  "status" text NOT NULL,
  "invited_at" timestamptz NOT NULL,
  "joined_at" timestamptz,
  CONSTRAINT "partnership_contacts_pkey" PRIMARY KEY ("partnership_id", "person_id")
)`,
    `CREATE INDEX IF NOT EXISTS "partnership_contacts_person" ON "${schema}"."partnership_contacts" ("person_id")`,
    `CREATE TABLE IF NOT EXISTS "${schema}"."partnership_rounds" (
  "partnership_id" text COLLATE "C" NOT NULL,
  "round_id" text COLLATE "C" NOT NULL,
  "pooled" boolean NOT NULL,
  "opened_at" timestamptz NOT NULL,
  "closes_at" timestamptz NOT NULL,
  "closed_at" timestamptz,
  "results" jsonb,
  "answered_organization_ids" jsonb NOT NULL,
  CONSTRAINT "partnership_rounds_pkey" PRIMARY KEY ("partnership_id", "round_id")
)`,
    `CREATE TABLE IF NOT EXISTS "${schema}"."partnership_answers" (
  "partnership_id" text COLLATE "C" NOT NULL,
  "round_id" text COLLATE "C" NOT NULL,
  "organization_id" text COLLATE "C" NOT NULL,
  "party_id" text COLLATE "C" NOT NULL,
  "answers" jsonb NOT NULL,
  "evidence" jsonb NOT NULL,
  "language" text NOT NULL,
  "answered_by" text COLLATE "C" NOT NULL,
  "answered_at" timestamptz NOT NULL,
  CONSTRAINT "partnership_answers_pkey" PRIMARY KEY ("partnership_id", "round_id", "organization_id")
)`,
    `CREATE TABLE IF NOT EXISTS "${schema}"."partnership_actions" (
  "partnership_id" text COLLATE "C" NOT NULL,
  "action_id" text COLLATE "C" NOT NULL,
  "round_id" text COLLATE "C",
  "pillar" text NOT NULL,
  "owner_party_id" text COLLATE "C" NOT NULL,
  "due_date" text NOT NULL,
  "description" text NOT NULL,
  "proposed_by_party_id" text COLLATE "C" NOT NULL,
  "proposed_by_organization_id" text COLLATE "C" NOT NULL,
  "proposed_at" timestamptz NOT NULL,
  "agreed_by" jsonb NOT NULL,
  "status" text NOT NULL,
  "agreed_at" timestamptz,
  "follow_ups" jsonb NOT NULL,
  CONSTRAINT "partnership_actions_pkey" PRIMARY KEY ("partnership_id", "action_id")
)`,
    `CREATE TABLE IF NOT EXISTS "${schema}"."partnership_reflections" (
  "partnership_id" text COLLATE "C" NOT NULL,
  "reflection_id" text COLLATE "C" NOT NULL,
  "about" jsonb NOT NULL,
  "what_worked" text NOT NULL,
  "what_should_change" text NOT NULL,
  "strengths" text NOT NULL,
  "weaknesses" text NOT NULL,
  "community_outcomes" text NOT NULL,
  "language" text NOT NULL,
  "party_id" text COLLATE "C" NOT NULL,
  "organization_id" text COLLATE "C" NOT NULL,
  "recorded_by" text COLLATE "C" NOT NULL,
  "recorded_at" timestamptz NOT NULL,
  CONSTRAINT "partnership_reflections_pkey" PRIMARY KEY ("partnership_id", "reflection_id")
)`,
  ];
  return {
    async up(db) {
      // One statement per call: PGlite's extended protocol refuses several in one.
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
