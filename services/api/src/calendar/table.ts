import type { Kysely } from 'kysely';
import type { ApiTables } from '../db.ts';

/**
 * Personal calendar links (ADR 0024), in the API's `api` schema beside the person they belong to: only
 * the hash of each secret is kept, so the table alone opens nobody's calendar.
 */
export interface CalendarTables {
  'api.calendar_links': {
    person_id: string;
    /** SHA-256 (hex) of the secret in the feed's URL. */
    token_hash: string;
    created_at: Date;
  };
}

export type CalendarDb = Kysely<ApiTables & CalendarTables>;

/** Migration 0006 of the API's tables, frozen once released (ADR 0015): one calendar link per person. */
export const calendarStatements = [
  `CREATE TABLE api.calendar_links (
  person_id text PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
)`,
];
