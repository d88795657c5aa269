import { type Migration, sql } from 'kysely';

/**
 * Grant disbursements approved as expenses, and payments (issue 16): a line's paid total and its value
 * after each change; an expense's grant; a disbursement row citing the expense instead of a proposal.
 */
export function disbursementsAndPayments(schema: string): Migration {
  const statements = [
    // Nothing was marked paid before expenses existed; the default fills the rows there are, then goes
    // (the projection writes every column).
    `ALTER TABLE "${schema}"."budget_lines" ADD COLUMN IF NOT EXISTS "paid" bigint NOT NULL DEFAULT 0`,
    `ALTER TABLE "${schema}"."budget_lines" ALTER COLUMN "paid" DROP DEFAULT`,
    `ALTER TABLE "${schema}"."budget_line_history" ADD COLUMN IF NOT EXISTS "paid_after" bigint NOT NULL DEFAULT 0`,
    `ALTER TABLE "${schema}"."budget_line_history" ALTER COLUMN "paid_after" DROP DEFAULT`,
    `ALTER TABLE "${schema}"."expenses" ADD COLUMN IF NOT EXISTS "grant_call_id" text COLLATE "C"`,
    `ALTER TABLE "${schema}"."expenses" ADD COLUMN IF NOT EXISTS "application_id" text COLLATE "C"`,
    `ALTER TABLE "${schema}"."grant_disbursements" ALTER COLUMN "proposal_id" DROP NOT NULL`,
    `ALTER TABLE "${schema}"."grant_disbursements" ADD COLUMN IF NOT EXISTS "expense_id" text COLLATE "C"`,
  ];
  return {
    async up(db) {
      // One statement per call: PGlite's extended protocol refuses several in one.
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
