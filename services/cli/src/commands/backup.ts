import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { migrateApiTables } from '@concord/api/db';
import { openPglite, PostgresEventStore, syncPath } from '@concord/event-store';
import {
  BackupRefusedError,
  type BackupSummary,
  backupStream,
  restoreBackup,
  verifyBackup,
} from '@concord/projections';
import type { Target } from '../context.ts';
import { lockFolder } from '../context.ts';
import { CliError, EXIT, reason, unavailable, usage } from '../errors.ts';
import type { Output } from '../io.ts';
import { sessionCookie } from '../session.ts';

function describe(summary: BackupSummary): string {
  return `${summary.events} events up to position ${summary.headPosition}, head digest ${summary.headDigest}, ${summary.rows} people rows`;
}

/** Writes `source` to `file` through a temporary file, synced and renamed into place: never half a backup. */
async function writeDurably(file: string, source: NodeJS.ReadableStream): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await pipeline(source, createWriteStream(partial, { mode: 0o600 }));
    syncPath(partial);
    renameSync(partial, file);
    syncPath(dirname(file));
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** `concord backup FILE`: a consistent copy of the store and the people tables in one file. */
export async function backupFromTarget(target: Target, file: string, source: string, out: Output) {
  await writeDurably(resolve(file), backupStream(target.store, target.db, { source }));
  const summary = await verifyBackup(resolve(file));
  out.write(`backed up ${describe(summary)} to ${file}\n`);
  return EXIT.ok;
}

/**
 * `concord backup FILE --url URL`: the backup of a running server, which owns its data folder, made by the
 * server (`GET /api/backup`, facilitators only) and checked here once written.
 */
export async function backupThroughServer(url: string, file: string, env: NodeJS.ProcessEnv, out: Output) {
  const base = url.replace(/\/+$/, '');
  const cookie = await sessionCookie(
    base,
    env,
    'backup --url needs CONCORD_EMAIL and CONCORD_PASSWORD (a facilitator), or CONCORD_SESSION',
  );
  const response = await fetch(`${base}/api/backup`, { headers: { cookie } }).catch((error: unknown) => {
    throw unavailable(`cannot reach ${base}: ${reason(error)}`);
  });
  if (!response.ok || !response.body) {
    const problem = (await response.json().catch(() => ({}))) as { title?: string };
    throw new CliError(
      `the server refused the backup (${response.status}${problem.title ? `: ${problem.title}` : ''})`,
      EXIT.failed,
    );
  }
  await writeDurably(resolve(file), Readable.fromWeb(response.body as never));
  const summary = await verifyBackup(resolve(file)).catch((error: unknown) => {
    throw new CliError(`the backup the server sent does not check out: ${reason(error)}`, EXIT.failed);
  });
  out.write(`backed up ${describe(summary)} from ${base} to ${file}\n`);
  return EXIT.ok;
}

/**
 * `concord restore FILE`: into an empty data folder (DATA_DIR) or an empty database (DATABASE_URL). The
 * backup is checked first (hash chains, the head digest equal to the recorded one) and refused if it does
 * not verify; an embedded restore is built beside the folder and renamed into place only when complete.
 */
export async function restore(
  file: string,
  env: NodeJS.ProcessEnv,
  openDatabase: () => Promise<Target>,
  expectDigest: string | undefined,
  out: Output,
) {
  const path = resolve(file);
  if (!existsSync(path)) throw usage(`no such file: ${file}`);
  let checked: BackupSummary;
  try {
    checked = await verifyBackup(path);
  } catch (error) {
    if (error instanceof BackupRefusedError) throw new CliError(`refused: ${error.message}`, EXIT.failed);
    throw error;
  }
  if (expectDigest && checked.headDigest !== expectDigest.toLowerCase()) {
    throw new CliError(
      `refused: the backup's head digest ${checked.headDigest} is not the expected ${expectDigest}`,
      EXIT.failed,
    );
  }
  let summary: BackupSummary;
  if (env.DATABASE_URL || env.EVENTSTORE_URL) {
    const target = await openDatabase();
    try {
      if (!(target.store instanceof PostgresEventStore))
        throw usage('restore writes to PostgreSQL (DATABASE_URL) or the embedded data folder only');
      summary = await restoreBackup({
        path,
        store: target.store,
        db: target.db,
        migrateTables: migrateApiTables,
      }).catch((error: unknown) => {
        throw new CliError(`refused: ${reason(error)}`, EXIT.failed);
      });
    } finally {
      await target.close();
    }
    out.write(`restored ${describe(summary)} into ${target.description}; read models rebuilt; verified\n`);
    return EXIT.ok;
  }
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const lock = lockFolder(dataDir, 'concord restore');
  try {
    const pgDir = join(dataDir, 'pg');
    if (existsSync(pgDir))
      throw new CliError(
        `refused: ${dataDir} already holds a Concord database; restore into an empty folder`,
        EXIT.failed,
      );
    const building = join(dataDir, 'pg.restoring');
    rmSync(building, { recursive: true, force: true }); // an earlier restore that died: ours to remove (we hold the lock)
    try {
      const { db } = await openPglite(building);
      const store = new PostgresEventStore(db);
      try {
        summary = await restoreBackup({ path, store, db, migrateTables: migrateApiTables });
      } finally {
        await store.close();
        await db.destroy();
      }
      renameSync(building, pgDir);
      syncPath(dataDir);
    } catch (error) {
      rmSync(building, { recursive: true, force: true });
      throw new CliError(`refused: ${reason(error)}; nothing was restored`, EXIT.failed);
    }
  } finally {
    lock.release();
  }
  out.write(`restored ${describe(summary)} into ${dataDir}; read models rebuilt; verified\n`);
  return EXIT.ok;
}
