import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { streamHeadJsonLine } from '../../src/export-lines.ts';
import type { NewEvent, PostgresEventStore } from '../../src/index.ts';

/** Where the PostgreSQL-backed suites connect; the test script sets it. */
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** False when the test script found no PostgreSQL server outside CI: those suites skip, visibly. */
export const postgresAvailable = process.env.CONCORD_SKIP_POSTGRES !== '1';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `work` on a connection of its own to `url`, ended afterwards (an open transaction is rolled back). */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `statements` in one transaction with every ordinary trigger lifted (replica mode), as a superuser could. */
const asSuperuserSql = (statements: string) =>
  `BEGIN; SET LOCAL session_replication_role = replica; ${statements}; COMMIT;`;

/** Runs SQL on PGlite with every trigger lifted: its one user is a superuser, so this is what a malicious operator could do. */
export function pgliteAsSuperuser(pglite: PGlite): (statements: string) => Promise<void> {
  return async (statements) => {
    try {
      await pglite.exec(asSuperuserSql(statements));
    } catch (error) {
      await pglite.exec('ROLLBACK');
      throw error;
    }
  };
}

/** Runs SQL on the database at `url` with every trigger lifted (the test role is a superuser), on a connection of its own. */
export function postgresAsSuperuser(url: string): (statements: string) => Promise<void> {
  return async (statements) => {
    await withClient(url, (client) => client.query(asSuperuserSql(statements)));
  };
}

/** The JSON lines an export from the beginning writes: each event, then each stream's recorded head. */
export async function exportLines(store: PostgresEventStore): Promise<string[]> {
  const lines: string[] = [];
  let last = 0;
  for await (const event of store.allStored()) {
    lines.push(JSON.stringify({ ...event, recordedAt: event.recordedAt.toISOString() }));
    last = event.globalPosition;
  }
  for await (const head of store.streamHeads(last)) lines.push(streamHeadJsonLine(head).trimEnd());
  return lines;
}

/** A fresh, empty database on the test server, so suites can run side by side. */
export async function createTestDatabase(prefix = 'concord_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withClient(TEST_DATABASE_URL, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    async drop() {
      await withClient(TEST_DATABASE_URL, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

/** Resolves when `condition` holds, checking after every tick of the event loop's timers. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  what: string,
  limitMs = 60_000,
) {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > limitMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An event to append: a fresh id, the given type, data and metadata. */
export const newEvent = (type: string, data: unknown = {}, metadata = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata,
});
