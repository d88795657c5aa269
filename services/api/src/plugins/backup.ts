import { createWriteStream, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { driverOf, type PostgresEventStore, syncPath } from '@concord/event-store';
import { backupStream } from '@concord/projections';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ProblemError } from '../errors.ts';
import { registerRoute } from '../routing.ts';

export interface BackupSchedule {
  /** Where scheduled backups go. */
  dir: string;
  /** Time between two backups. */
  everyMs: number;
  /** How many of the newest to keep. */
  keep: number;
}

export interface BackupOptions {
  schedule?: BackupSchedule;
}

const FILE = /^concord-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(-\d+)?Z\.jsonl\.gz$/;

/**
 * Backups made by the server, which owns its data folder (ADR 0010): `GET /api/backup` streams one
 * (facilitators only), and with a schedule (`BACKUP_DIR`, `BACKUP_EVERY`, `BACKUP_KEEP`) it writes one
 * every so often and keeps the newest few. The file is `concord restore`'s input.
 */
export const backupPlugin = fp(
  async (app: FastifyInstance, options: BackupOptions) => {
    const source = () => (driverOf(app.database)?.kind === 'pglite' ? 'embedded' : 'postgresql');
    const stream = () => {
      if (!('schema' in app.eventStore))
        throw new ProblemError('NOT_READY', { detail: 'backups cover events kept in PostgreSQL or PGlite' });
      return backupStream(app.eventStore as PostgresEventStore, app.database, {
        source: source(),
        now: app.clock(),
      });
    };

    registerRoute(app, 'backup', async ({ reply }) => {
      const stamp = app.clock().toISOString().slice(0, 19).replaceAll(':', '-');
      reply
        .type('application/gzip')
        .header('content-disposition', `attachment; filename="concord-backup-${stamp}Z.jsonl.gz"`)
        .header('cache-control', 'no-store');
      return { body: stream() };
    });

    const schedule = options.schedule;
    app.decorate('scheduledBackup', async () => {
      if (schedule) await once();
    });
    if (!schedule) return;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    async function once(): Promise<void> {
      if (!schedule) return;
      mkdirSync(schedule.dir, { recursive: true });
      const stamp = app.clock().toISOString().slice(0, 19).replaceAll(':', '-');
      const file = join(schedule.dir, `concord-backup-${stamp}Z.jsonl.gz`);
      const partial = `${file}.partial`;
      try {
        await pipeline(stream(), createWriteStream(partial, { mode: 0o600 }));
        syncPath(partial);
        renameSync(partial, file);
        syncPath(schedule.dir);
        app.log.info({ file }, 'backup written');
      } catch (error) {
        rmSync(partial, { force: true });
        app.log.error({ err: error }, 'the scheduled backup failed; the next one is tried on schedule');
        return;
      }
      const kept = readdirSync(schedule.dir)
        .filter((name) => FILE.test(name))
        .sort()
        .reverse();
      for (const old of kept.slice(schedule.keep)) rmSync(join(schedule.dir, old), { force: true });
    }
    const next = () => {
      timer = setTimeout(() => {
        running = once().finally(() => {
          running = undefined;
          if (timer) next();
        });
      }, schedule.everyMs);
    };
    app.addHook('onReady', async () => next());
    app.addHook('onClose', async () => {
      clearTimeout(timer);
      timer = undefined;
      await running;
    });
  },
  { name: 'concord-backup', dependencies: ['concord-foundation', 'concord-auth'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Writes one scheduled backup now and prunes the old ones (nothing without a schedule). */
    scheduledBackup(): Promise<void>;
  }
}
