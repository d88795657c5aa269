import { type Migration, sql } from 'kysely';

/**
 * Expenses (issue 16): their own table, and the line history's rows for money an expense spent, which
 * cite the expense rather than a proposal.
 */
export function expenses(schema: string): Migration {
  const statements = [
    `ALTER TABLE "${schema}"."budget_line_history" ALTER COLUMN "proposal_id" DROP NOT NULL`,
    `ALTER TABLE "${schema}"."budget_line_history" ADD COLUMN IF NOT EXISTS "expense_id" text COLLATE "C"`,
    `CREATE TABLE IF NOT EXISTS "${schema}"."expenses" (
  "budget_id" text COLLATE "C" NOT NULL,
  "expense_id" text COLLATE "C" NOT NULL,
  "line_id" text COLLATE "C" NOT NULL,
  "amount" bigint NOT NULL,
  "description" text NOT NULL,
  "payee_organization_id" text COLLATE "C",
  "payee_name" text,
  "spent_on" text NOT NULL,
  "receipts" jsonb NOT NULL,
  "submitted_by_organization_id" text COLLATE "C" NOT NULL,
  "submitted_by_person_id" text COLLATE "C" NOT NULL,
  "submitted_at" timestamptz NOT NULL,
  "approver_group_id" text COLLATE "C" NOT NULL,
  "approvals_needed" integer NOT NULL,
  "approvals" jsonb NOT NULL,
  "status" text NOT NULL,
  "reason" text,
  "payment_reference" text,
  "ended_by_organization_id" text COLLATE "C",
  "ended_at" timestamptz,
  "submitted_position" bigint NOT NULL,
  "updated_at" timestamptz NOT NULL,
  CONSTRAINT "expenses_pkey" PRIMARY KEY ("budget_id", "expense_id")
)`,
    `CREATE INDEX IF NOT EXISTS "expenses_line" ON "${schema}"."expenses" ("budget_id", "line_id", "submitted_position")`,
  ];
  return {
    async up(db) {
      // One statement per call: PGlite's extended protocol refuses several in one.
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
