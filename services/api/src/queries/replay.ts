import { randomUUID } from 'node:crypto';
import type { ReplayCheck } from '@concord/contracts';
import type { EventStore } from '@concord/event-store';
import { buildReadModels, catchUpReadModels, compareReadModels, DEFAULT_SCHEMA } from '@concord/projections';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { ReadSide } from '../read-side.ts';

const SCRATCH = `${DEFAULT_SCHEMA}_check`;

/**
 * Replay checks over the API, one at a time: every read model is rebuilt from the events into a scratch
 * schema (in pages, so the server keeps answering), brought to exactly the position the live read models
 * are paused at, and compared with them row by row. The projector pauses only for the last few events
 * and the comparison.
 */
export class ReplayChecks {
  #current: ReplayCheck | null = null;
  #running: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      db: Kysely<unknown>;
      store: EventStore;
      readSide: ReadSide;
      logger: FastifyBaseLogger;
      clock: () => Date;
    },
  ) {}

  /** The latest check (running or finished), or null before the first. */
  get current(): ReplayCheck | null {
    return this.#current;
  }

  /** Starts a check, or answers the one already running. */
  start(personId: string): ReplayCheck {
    if (this.#current && this.#running) return this.#current;
    const check: ReplayCheck = {
      replayId: randomUUID(),
      startedAt: this.deps.clock().toISOString(),
      startedBy: personId,
      state: 'running',
      progress: { done: 0, total: 0 },
      position: null,
      finishedAt: null,
      differences: [],
      error: null,
    };
    this.#current = check;
    this.#running = this.#run(check).finally(() => {
      this.#running = null;
    });
    return check;
  }

  /** Resolves when the running check (if any) has finished: for tests and shutdown. */
  async settled(): Promise<void> {
    await this.#running;
  }

  async #run(check: ReplayCheck): Promise<void> {
    const { db, store, readSide, logger, clock } = this.deps;
    try {
      const reached = await readSide.position();
      await buildReadModels({
        db,
        store,
        schema: SCRATCH,
        until: reached,
        onProgress: (done, total) => {
          check.progress = { done, total };
        },
      });
      const comparison = await readSide.whilePaused(async (position) => {
        await catchUpReadModels({ db, store, schema: SCRATCH, until: position });
        check.position = position;
        return compareReadModels(db, DEFAULT_SCHEMA, SCRATCH, { limit: 5 });
      });
      check.state = comparison.identical ? 'identical' : 'different';
      check.differences = comparison.differences.map((difference) => ({
        table: difference.table,
        rows: { live: difference.rows.left, replay: difference.rows.right },
        onlyLive: difference.onlyLeft,
        onlyReplay: difference.onlyRight,
      }));
      logger.info({ replayId: check.replayId, state: check.state, position: check.position }, 'replay check');
    } catch (error) {
      check.state = 'failed';
      check.error = error instanceof Error ? error.message : String(error);
      logger.error({ err: error, replayId: check.replayId }, 'replay check failed');
    } finally {
      check.finishedAt = clock().toISOString();
      await sql
        .raw(`DROP SCHEMA IF EXISTS "${SCRATCH}" CASCADE`)
        .execute(db)
        .catch(() => {});
    }
  }
}
