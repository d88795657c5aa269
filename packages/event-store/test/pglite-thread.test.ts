import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/index.ts';
import type { PgliteThread } from '../src/postgres/pglite-thread.ts';

interface Tables {
  notes: { name: string };
}

/** The embedded database in its own thread (ADR 0030), as Concord's code reaches it: through Kysely. */
describe('PGlite in a thread of its own', () => {
  let db: Kysely<Tables>;
  let pglite: PgliteThread;

  beforeAll(async () => {
    const opened = await openPglite();
    db = opened.db as unknown as Kysely<Tables>;
    pglite = opened.pglite;
    await sql`CREATE TABLE notes (name text PRIMARY KEY)`.execute(db);
  });
  afterAll(() => db?.destroy());

  it('runs no other caller’s statement inside an open transaction', async () => {
    let outside: Promise<unknown> | undefined;
    const rolledBack = db.transaction().execute(async (trx) => {
      await trx.insertInto('notes').values({ name: 'inside' }).execute();
      // Sent while the transaction is open; it must neither see nor share the transaction's fate.
      outside = db.insertInto('notes').values({ name: 'outside' }).execute();
      await trx.insertInto('notes').values({ name: 'inside, again' }).execute();
      throw new Error('changed my mind');
    });
    await expect(rolledBack).rejects.toThrow('changed my mind');
    await outside;
    const rows = await db.selectFrom('notes').select('name').execute();
    expect(rows.map((row) => row.name)).toEqual(['outside']);
  });

  it('keeps PostgreSQL’s code and detail on an error', async () => {
    const error = await db
      .insertInto('notes')
      .values({ name: 'outside' })
      .execute()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: '23505', detail: 'Key (name)=(outside) already exists.' });
    // The failure ended nothing: the next statement runs.
    expect(await db.selectFrom('notes').select('name').execute()).toHaveLength(1);
  });

  it('answers COPY with its bytes, and fails every statement after close with the reason', async () => {
    const copied = await pglite.query(`COPY notes TO '/dev/blob' (FORMAT csv)`);
    expect(await copied.blob?.text()).toBe('outside\n');
    await pglite.close();
    await expect(pglite.query('SELECT 1')).rejects.toThrow('the embedded database is closed');
  });
});
