import type { Kysely } from 'kysely';
import { type ApiTables, migrateApiTables } from '../db.ts';
import { digest, newSecret } from './secrets.ts';

const DAY = 86_400_000;

/** Where the embedded server keeps the set-up link it printed, in its data folder. */
export const SETUP_LINK_FILE = 'setup-link.txt';

/**
 * The one-time link that creates the first facilitator, while there is none: a new link each time it is
 * asked for (each works once, for a day), null once a facilitator exists. Shared by the server's start
 * and `concord setup-link`, so a link lost with the terminal can be shown again.
 */
export async function newSetupLink(
  db: Kysely<unknown>,
  options: { publicUrl: string; clock?: () => Date },
): Promise<string | null> {
  await migrateApiTables(db);
  const auth = db as unknown as Kysely<ApiTables>;
  const facilitator = await auth
    .selectFrom('auth.people')
    .select('person_id')
    .where('staff_role', '=', 'facilitator')
    .executeTakeFirst();
  if (facilitator) return null;
  const token = newSecret();
  const now = options.clock?.() ?? new Date();
  await auth
    .insertInto('auth.tokens')
    .values({
      token_hash: digest(token),
      kind: 'setup',
      person_id: null,
      payload: JSON.stringify({}),
      created_at: now,
      expires_at: new Date(now.getTime() + DAY),
      used_at: null,
    })
    .execute();
  const link = new URL('/setup', options.publicUrl);
  link.searchParams.set('token', token);
  return link.toString();
}

/** The set-up link framed so that a person reading the start output notices it. */
export function setupBanner(link: string, showAgain: string): string {
  const lines = [
    'Concord has no facilitator yet. Open this link to create the first one',
    '(it works once, for 24 hours):',
    '',
    link,
    '',
    `Lost it? Show a new one with: ${showAgain}`,
  ];
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '═'.repeat(width + 2);
  return [`╔${rule}╗`, ...lines.map((line) => `║ ${line.padEnd(width)} ║`), `╚${rule}╝`].join('\n');
}
