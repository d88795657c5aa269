import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DataFolderLockedError,
  driverOf,
  lockDataFolder,
  openPglite,
  PostgresEventStore,
} from '../src/index.ts';
import { withWalFlushPutOff } from '../src/postgres/pglite-dialect.ts';
import { POSITIONS_PER_TRANSACTION } from '../src/postgres/schema.ts';
import type { WalSync } from '../src/postgres/wal-sync.ts';

const dirs: string[] = [];
const temp = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `concord-${name}-`));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('PGlite on disk (ADR 0010)', () => {
  it('runs with fsync on, synchronous commit, fdatasync for the WAL, 32 MB of shared buffers and 256 MB of WAL', async () => {
    const { db } = await openPglite(join(temp('gucs'), 'pg'));
    try {
      const { rows } = await sql<{ name: string; setting: string; unit: string | null }>`
        select name, setting, unit from pg_settings
        where name in ('fsync', 'max_wal_size', 'shared_buffers', 'synchronous_commit', 'wal_sync_method')
        order by name`.execute(db);
      expect(rows).toEqual([
        { name: 'fsync', setting: 'on', unit: null },
        // What the checkpointer keeps to (ADR 0040).
        { name: 'max_wal_size', setting: '256', unit: 'MB' },
        // 4,096 buffers of 8 kB (ADR 0038).
        { name: 'shared_buffers', setting: '4096', unit: '8kB' },
        { name: 'synchronous_commit', setting: 'on', unit: null },
        { name: 'wal_sync_method', setting: 'fdatasync', unit: null },
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('groups concurrent appends to distinct streams into shared transactions, each with its own answer', async () => {
    const { db } = await openPglite(join(temp('group'), 'pg'));
    const store = new PostgresEventStore(db);
    await store.migrate();
    try {
      const streams = Array.from({ length: 24 }, (_, i) => `group-${i}`);
      const results = await Promise.all(
        streams.map((stream) =>
          store.append(stream, [{ id: randomUUID(), type: 'Happened', data: { stream } }], {
            expectedVersion: 0,
          }),
        ),
      );
      expect(results.map((result) => result.nextExpectedVersion)).toEqual(streams.map(() => 1));
      const transactions = new Set(
        results.map((result) => Math.floor(result.lastGlobalPosition / POSITIONS_PER_TRANSACTION)),
      );
      // The first goes alone; the ones that arrived meanwhile share the next commit (and its WAL flush).
      expect(transactions.size).toBeLessThan(streams.length);
      // A refused expectation inside a group is that append's alone.
      const [wrong, right] = await Promise.allSettled([
        store.append('group-0', [{ id: randomUUID(), type: 'Happened', data: {} }], { expectedVersion: 0 }),
        store.append('group-1', [{ id: randomUUID(), type: 'Happened', data: {} }], { expectedVersion: 1 }),
      ]);
      expect(wrong.status).toBe('rejected');
      expect(right.status).toBe('fulfilled');
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
      await db.destroy();
    }
  });
});

describe("the appends' WAL flushes, off PGlite's thread (ADR 0034)", () => {
  it('answers an append only once every flush put off is on disk, alone and in a concurrent burst', async () => {
    const { db } = await openPglite(join(temp('walsync'), 'pg'));
    const wal = walOf(db);
    const store = new PostgresEventStore(db);
    await store.migrate();
    try {
      await store.append('alone', [{ id: randomUUID(), type: 'Happened', data: {} }]);
      expect(wal.owing).toBe(false);
      const burst = Array.from({ length: 40 }, (_, i) =>
        store
          .append(`burst-${i}`, [{ id: randomUUID(), type: 'Happened', data: { i } }])
          .then(() => wal.owing),
      );
      // The last answer comes after the last flush; each earlier one after its own (later appends may owe).
      await Promise.all(burst);
      expect(wal.owing).toBe(false);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
      await db.destroy();
    }
  });

  it('puts off only what it is asked to, and makes a flush put off before PostgreSQL writes any other file', async () => {
    const { db } = await openPglite(join(temp('walorder'), 'pg'));
    const wal = walOf(db);
    const putOff = (n: number) =>
      db.executeQuery(withWalFlushPutOff(CompiledQuery.raw(`insert into t values (${n})`)));
    try {
      await sql`create table t (n int)`.execute(db);
      await sql`insert into t values (1)`.execute(db);
      expect(wal.owing).toBe(false);
      await putOff(2);
      expect(wal.owing).toBe(true);
      // A file other than the WAL written (here by COPY, with no commit to flush): the WAL goes first.
      await sql`copy t to '/pglite/data/probe.csv'`.execute(db);
      expect(wal.owing).toBe(false);
      // A commit not put off flushes the WAL, and with it every flush put off before.
      await putOff(3);
      expect(wal.owing).toBe(true);
      await sql`insert into t values (4)`.execute(db);
      expect(wal.owing).toBe(false);
      await putOff(5);
      await wal.flushed();
      expect(wal.owing).toBe(false);
    } finally {
      await db.destroy();
    }
  });
});

function walOf(db: Parameters<typeof driverOf>[0]): WalSync {
  const driver = driverOf(db);
  if (driver?.kind !== 'pglite' || !driver.wal) throw new Error('expected a durable PGlite');
  return driver.wal;
}

describe('one owner per data folder', () => {
  it('refuses a second owner at once, says who holds it, and lets the next one in after release', () => {
    const folder = temp('lock');
    const first = lockDataFolder(folder, { role: 'server', url: 'http://localhost:3999' });
    let refusal: unknown;
    try {
      lockDataFolder(folder, { role: 'concord verify' });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DataFolderLockedError);
    const locked = refusal as DataFolderLockedError;
    expect(locked.owner).toMatchObject({ pid: process.pid, role: 'server', url: 'http://localhost:3999' });
    expect(locked.message).toContain('a running Concord server');
    expect(locked.message).toContain('http://localhost:3999');
    first.release();
    const second = lockDataFolder(folder, { role: 'concord verify' });
    second.release();
  });
});
