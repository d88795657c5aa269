import { type Migration, sql } from 'kysely';

/** The read models' secondary indexes, as the first release created them (fixed). */
export function indexes(schema: string): Migration {
  const statements = [
    `CREATE INDEX IF NOT EXISTS "budget_lines_steward" ON "${schema}"."budget_lines" ("steward_group_id")`,
    `CREATE INDEX IF NOT EXISTS "budget_line_history_line" ON "${schema}"."budget_line_history" ("budget_id", "line_id", "global_position")`,
    `CREATE INDEX IF NOT EXISTS "budget_questions_line" ON "${schema}"."budget_questions" ("budget_id", "line_id")`,
    `CREATE INDEX IF NOT EXISTS "proposals_status" ON "${schema}"."proposals" ("status", "drafted_position")`,
    `CREATE INDEX IF NOT EXISTS "proposals_drafted" ON "${schema}"."proposals" ("drafted_position")`,
    `CREATE INDEX IF NOT EXISTS "proposal_stances_organization" ON "${schema}"."proposal_stances" ("organization_id")`,
    `CREATE INDEX IF NOT EXISTS "working_group_members_organization" ON "${schema}"."working_group_members" ("organization_id")`,
    `CREATE INDEX IF NOT EXISTS "representatives_person" ON "${schema}"."representatives" ("person_id")`,
    `CREATE INDEX IF NOT EXISTS "grant_disbursements_application" ON "${schema}"."grant_disbursements" ("grant_call_id", "application_id")`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_actor" ON "${schema}"."audit_trail" ("actor_person_id", "global_position")`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_actor_organization" ON "${schema}"."audit_trail" ("actor_organization_id", "global_position")`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_organization" ON "${schema}"."audit_trail" ("organization_id", "global_position") WHERE organization_id IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_proposal" ON "${schema}"."audit_trail" ("proposal_id", "global_position") WHERE proposal_id IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_line" ON "${schema}"."audit_trail" ("budget_id", "line_id", "global_position") WHERE line_id IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_body" ON "${schema}"."audit_trail" ("body_group_id", "global_position") WHERE body_group_id IS NOT NULL`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_type" ON "${schema}"."audit_trail" ("type", "global_position")`,
    `CREATE INDEX IF NOT EXISTS "audit_trail_recorded" ON "${schema}"."audit_trail" ("recorded_at")`,
  ];
  return {
    async up(db) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}
