import { type Migration, sql } from 'kysely';

/** The identifier columns (ids, stream ids, event types) that 0003 puts in byte order, by table (fixed). */
const idColumns: Readonly<Record<string, readonly string[]>> = {
  budgets: ['budget_id', 'opened_by_proposal_id'],
  budget_lines: ['budget_id', 'line_id', 'steward_group_id', 'created_by_proposal_id'],
  budget_line_history: [
    'budget_id',
    'line_id',
    'proposal_id',
    'decided_by_group_id',
    'grant_call_id',
    'application_id',
    'organization_id',
  ],
  budget_questions: [
    'budget_id',
    'question_id',
    'line_id',
    'asked_by_organization_id',
    'asked_by_person_id',
    'answered_by_organization_id',
    'answered_by_person_id',
  ],
  proposals: [
    'proposal_id',
    'proposer_person_id',
    'proposer_organization_id',
    'deciding_group_id',
    'routing_line_id',
    'decision_event_id',
    'budget_id',
    'group_id',
    'grant_call_id',
    'application_id',
  ],
  proposal_stances: ['proposal_id', 'organization_id', 'person_id'],
  proposal_comments: ['proposal_id', 'comment_id', 'person_id', 'organization_id'],
  proposal_revisions: ['proposal_id', 'by_person_id'],
  working_groups: ['group_id', 'created_by_proposal_id', 'mandate_proposal_id'],
  working_group_members: ['group_id', 'organization_id', 'joined_by_person_id'],
  members: ['organization_id', 'admitted_by_proposal_id'],
  representatives: ['organization_id', 'person_id', 'invited_by_person_id'],
  grant_calls: ['grant_call_id', 'budget_id', 'line_id', 'steward_group_id', 'published_by_person_id'],
  grant_applications: [
    'grant_call_id',
    'application_id',
    'applicant_organization_id',
    'submitted_by_person_id',
    'award_proposal_id',
  ],
  grant_reviews: ['grant_call_id', 'application_id', 'reviewer_organization_id', 'reviewer_person_id'],
  grant_disbursements: ['grant_call_id', 'application_id', 'proposal_id'],
  charter: ['charter_id'],
  charter_sops: ['sop_id', 'adopted_by_proposal_id'],
  charter_history: ['sop_id', 'proposal_id'],
  audit_trail: [
    'event_id',
    'stream_id',
    'type',
    'actor_person_id',
    'actor_organization_id',
    'organization_id',
    'body_group_id',
    'proposal_id',
    'budget_id',
    'line_id',
    'group_id',
    'grant_call_id',
  ],
};

/**
 * Identifier columns in byte order (collation "C", see `col.id`): cheaper keys and indexes, and what a
 * rebuild sorts by. Columns already in byte order are left alone.
 */
export function idCollation(schema: string): Migration {
  return {
    async up(db) {
      const { rows } = await sql<{ table: string; column: string }>`
        select c.relname as "table", a.attname as "column"
          from pg_attribute a
          join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ${schema} and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
           and a.attcollation <> 'pg_catalog."C"'::regcollation`.execute(db);
      const notYet = new Set(rows.map((row) => `${row.table}.${row.column}`));
      for (const [table, columns] of Object.entries(idColumns)) {
        const changes = columns
          .filter((column) => notYet.has(`${table}.${column}`))
          .map((column) => `ALTER COLUMN "${column}" TYPE text COLLATE "C"`);
        if (changes.length > 0) {
          await sql.raw(`ALTER TABLE "${schema}"."${table}" ${changes.join(', ')}`).execute(db);
        }
      }
    },
  };
}
