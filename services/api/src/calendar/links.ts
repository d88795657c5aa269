import type { Kysely } from 'kysely';
import { digest, newSecret } from '../auth/secrets.ts';
import type { ApiTables } from '../db.ts';
import type { CalendarDb, CalendarTables } from './table.ts';

/** What a calendar link's owner is shown: whether one is in force and since when (never the secret). */
export interface CalendarLinkState {
  active: boolean;
  createdAt: Date | null;
}

/** Whether a string could be a calendar secret at all (what `create` makes: 32 random bytes, base64url). */
export function isCalendarToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/**
 * Each person's secret calendar link: made or replaced (the old URL stops working at once), revoked, and
 * resolved back to its person by the hash of the secret. The secret itself is only ever in the answer
 * to the request that made it.
 */
export class CalendarLinks {
  constructor(private readonly db: CalendarDb) {}

  /** A new secret for `personId`, replacing any earlier one. */
  async create(personId: string, now: Date): Promise<string> {
    const token = newSecret();
    await this.db
      .insertInto('api.calendar_links')
      .values({ person_id: personId, token_hash: digest(token), created_at: now })
      .onConflict((oc) => oc.column('person_id').doUpdateSet({ token_hash: digest(token), created_at: now }))
      .execute();
    return token;
  }

  async state(personId: string): Promise<CalendarLinkState> {
    const row = await this.db
      .selectFrom('api.calendar_links')
      .select('created_at')
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return { active: row !== undefined, createdAt: row?.created_at ?? null };
  }

  async revoke(personId: string): Promise<void> {
    await this.db.deleteFrom('api.calendar_links').where('person_id', '=', personId).execute();
  }

  /** The person whose link carries `token`, or null (unknown, replaced or revoked). */
  async personOf(token: string): Promise<string | null> {
    if (!isCalendarToken(token)) return null;
    const row = await this.db
      .selectFrom('api.calendar_links')
      .select('person_id')
      .where('token_hash', '=', digest(token))
      .executeTakeFirst();
    return row?.person_id ?? null;
  }
}

/** Erases a person's calendar link (ADR 0012): run in the forgetting's own transaction. */
export async function forgetCalendarLink(db: Kysely<ApiTables>, personId: string): Promise<void> {
  const own = db as unknown as Kysely<ApiTables & CalendarTables>;
  await own.deleteFrom('api.calendar_links').where('person_id', '=', personId).execute();
}
