import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/index.ts';
import { CHECKPOINT_DUE_SEGMENTS, CHECKPOINT_FORCED_SEGMENTS } from '../src/postgres/checkpoints.ts';

const SEGMENT = 16 * 1024 * 1024;
const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-checkpoints-'));
  dirs.push(dir);
  return join(dir, 'pg');
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Where the WAL is written now, and the redo point of the last checkpoint, in bytes. */
async function walState(db: Kysely<unknown>) {
  const { rows } = await sql<{ insert: string; redo: string; segment: string }>`
    select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::text as insert,
           pg_wal_lsn_diff(redo_lsn, '0/0')::text as redo,
           pg_walfile_name(pg_current_wal_insert_lsn()) as segment
      from pg_control_checkpoint()`.execute(db);
  const row = rows[0]!;
  return { insert: Number(row.insert), redo: Number(row.redo), segment: row.segment };
}

/** WAL segment files in the data folder, by name, with their inode. */
function segments(dataDir: string): Map<string, number> {
  const names = readdirSync(join(dataDir, 'pg_wal')).filter((name) => /^[0-9A-F]{24}$/.test(name));
  return new Map(names.map((name) => [name, statSync(join(dataDir, 'pg_wal', name)).ino]));
}

/** About 1.5 MB of WAL: 2,500 rows of 300 bytes, which stay in the table's pages, uncompressed. */
const ROWS = sql`insert into filler (body) select repeat('x', 300) from generate_series(1, 2500)`;

describe("PGlite's checkpointer (ADR 0040)", () => {
  it('checkpoints once the WAL has grown by 16 segments even when the database is never quiet', async () => {
    const dataDir = temp();
    const { db, checkpoints } = await openPglite(dataDir, { checkpoints: { quietMs: false } });
    try {
      await sql`create table filler (id serial primary key, body text)`.execute(db);
      const start = await walState(db);
      let mostAfterRedo = 0;
      let mostFiles = 0;
      // Without a checkpointer, PGlite (single-user PostgreSQL) checkpoints only when it is closed.
      let end = start;
      while (end.insert - start.insert < (CHECKPOINT_FORCED_SEGMENTS + 4) * SEGMENT) {
        await ROWS.execute(db);
        await checkpoints!.idle();
        end = await walState(db);
        mostAfterRedo = Math.max(mostAfterRedo, end.insert - end.redo);
        mostFiles = Math.max(mostFiles, segments(dataDir).size);
      }
      expect(checkpoints!.done).toBe(1);
      expect(end.redo).toBeGreaterThan(start.redo + (CHECKPOINT_FORCED_SEGMENTS - 2) * SEGMENT);
      // The checkpoint is queued as the 16th segment since the start begins, and made once the statement ends.
      expect(mostAfterRedo).toBeLessThanOrEqual((CHECKPOINT_FORCED_SEGMENTS + 1) * SEGMENT);
      // max_wal_size (256 MB) caps the segments kept for reuse.
      expect(mostFiles).toBeLessThanOrEqual(CHECKPOINT_FORCED_SEGMENTS + 2);
    } finally {
      await db.destroy();
    }
  });

  it('checkpoints after 4 segments once the database has written nothing for a second', async () => {
    const dataDir = temp();
    const { db, checkpoints } = await openPglite(dataDir);
    try {
      await sql`create table filler (id serial primary key, body text)`.execute(db);
      const start = await walState(db);
      while ((await walState(db)).insert - start.insert < (CHECKPOINT_DUE_SEGMENTS + 1) * SEGMENT) {
        await ROWS.execute(db);
      }
      // Resolves once the quiet second has passed and the checkpoint is made.
      await checkpoints!.idle();
      expect(checkpoints!.done).toBe(1);
      const end = await walState(db);
      expect(end.redo).toBeGreaterThan(start.redo + CHECKPOINT_DUE_SEGMENTS * SEGMENT);
      expect(end.insert - end.redo).toBeLessThan(2 * SEGMENT);
    } finally {
      await db.destroy();
    }
  });

  it('once it has checkpointed, PostgreSQL switches to segments it made earlier instead of zero-filling new ones', async () => {
    const dataDir = temp();
    const { db, checkpoints } = await openPglite(dataDir, { checkpoints: { quietMs: 1 } });
    try {
      await sql`create table filler (id serial primary key, body text)`.execute(db);
      // The first checkpoints have fewer old segments to rename than the WAL to come needs.
      for (let i = 0; i < 20 * 10 && checkpoints!.done < 3; i++) {
        await ROWS.execute(db);
        await checkpoints!.idle();
      }
      expect(checkpoints!.done).toBe(3);
      let switches = 0;
      for (let i = 0; i < 200 && switches < 6; i++) {
        const before = segments(dataDir);
        const segment = (await walState(db)).segment;
        await ROWS.execute(db);
        const now = await walState(db);
        if (now.segment === segment) continue;
        switches++;
        // The file was in pg_wal before the switch, as the same file: renamed there by a checkpoint.
        expect(before.get(now.segment)).toBe(segments(dataDir).get(now.segment));
        await checkpoints!.idle();
      }
      expect(switches).toBe(6);
    } finally {
      await db.destroy();
    }
  });

  it('never checkpoints inside a transaction another caller holds: it waits for the connection', async () => {
    const dataDir = temp();
    const { db, checkpoints } = await openPglite(dataDir, { checkpoints: { quietMs: false } });
    try {
      await sql`create table filler (id serial primary key, body text)`.execute(db);
      let statements = 0;
      await db.transaction().execute(async (trx) => {
        const start = await walState(trx);
        while ((await walState(trx)).insert - start.insert < (CHECKPOINT_FORCED_SEGMENTS + 1) * SEGMENT) {
          await ROWS.execute(trx);
          statements++;
        }
        // Forced (not timed) meanwhile, and queued for the connection this transaction holds.
        expect(checkpoints!.done).toBe(0);
      });
      await checkpoints!.idle();
      expect(checkpoints!.done).toBe(1);
      const { rows } = await sql<{ count: string }>`select count(*)::text as count from filler`.execute(db);
      expect(Number(rows[0]!.count)).toBe(statements * 2500);
    } finally {
      await db.destroy();
    }
  });

  it('an in-memory or scratch PGlite has none', async () => {
    expect((await openPglite()).checkpoints).toBeUndefined();
    const scratch = await openPglite(temp(), { durable: false });
    expect(scratch.checkpoints).toBeUndefined();
    await scratch.db.destroy();
  });
});
