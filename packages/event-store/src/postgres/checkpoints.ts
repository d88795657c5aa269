import type { PGlite } from '@electric-sql/pglite';
import type { Kysely } from 'kysely';
import { pgliteExclusive } from './driver.ts';
import type { DurableNodeFS } from './durable-fs.ts';

/** WAL segments (16 MB each) after which a checkpoint is due: it is made at the first quiet moment (ADR 0040). */
export const CHECKPOINT_DUE_SEGMENTS = 4;
/** WAL segments after which a checkpoint is made at once, quiet or not. */
export const CHECKPOINT_FORCED_SEGMENTS = 16;

export interface CheckpointOptions {
  /**
   * How long the database must write no WAL before a due checkpoint is made, in ms (1,000 by default);
   * `false`: only when forced.
   */
  quietMs?: number | false;
}

/**
 * PGlite's checkpointer (ADR 0040). PGlite runs PostgreSQL in single-user mode, which has no checkpointer
 * process: it checkpoints only when it is closed. Until then its WAL grows without bound on disk, a crash
 * replays all of it at the next start, and every new segment is written full of zeros on the server's
 * thread (ADR 0039). After a checkpoint PostgreSQL renames the segments it no longer needs to the names of
 * the next ones, so later switches find their file made.
 *
 * A checkpoint also runs on the server's thread and stops it, for 80–110 ms under load on our test
 * machine, so once due it waits for a quiet moment, up to a limit. It waits for Kysely's one connection
 * too, so it never lands inside another caller's transaction.
 */
export class Checkpointer {
  readonly #fs: DurableNodeFS;
  readonly #db: Kysely<unknown>;
  readonly #pglite: PGlite;
  readonly #quietMs: number | false;
  /** Segments started since the last checkpoint began. */
  #segments = 0;
  #quietTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #done = 0;
  #waiters: (() => void)[] = [];

  constructor(fs: DurableNodeFS, db: Kysely<unknown>, pglite: PGlite, options: CheckpointOptions = {}) {
    this.#fs = fs;
    this.#db = db;
    this.#pglite = pglite;
    this.#quietMs = options.quietMs ?? 1000;
    fs.onWalSegment = () => {
      this.#segments++;
      this.#consider();
    };
  }

  /** Checkpoints made so far. */
  get done(): number {
    return this.#done;
  }

  /** Resolves once no checkpoint is due, waiting for a quiet moment, or running. */
  async idle(): Promise<void> {
    while (this.#running || this.#quietTimer)
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  #consider(): void {
    if (this.#running) return;
    if (this.#segments >= CHECKPOINT_FORCED_SEGMENTS) this.#start();
    else if (this.#segments >= CHECKPOINT_DUE_SEGMENTS && this.#quietMs !== false)
      this.#waitForQuiet(this.#quietMs);
  }

  /** Checks every `quietMs` whether the WAL was written since the last look; once it was not, checkpoints. */
  #waitForQuiet(quietMs: number): void {
    if (this.#quietTimer) return;
    let writes = this.#fs.walWrites;
    this.#quietTimer = setInterval(() => {
      if (this.#fs.walWrites !== writes) {
        writes = this.#fs.walWrites;
        return;
      }
      this.#start();
    }, quietMs);
    // A due checkpoint never keeps the process alive: closing checkpoints anyway.
    this.#quietTimer.unref();
  }

  #start(): void {
    clearInterval(this.#quietTimer);
    this.#quietTimer = undefined;
    // Queued, not begun: this can be called inside PGlite's write of the WAL.
    this.#running = Promise.resolve()
      .then(() => this.#checkpoint())
      .finally(() => {
        this.#running = undefined;
        // Segments started while it waited for the connection or ran may make the next one due already.
        this.#consider();
        if (!this.#running && !this.#quietTimer) for (const wake of this.#waiters.splice(0)) wake();
      });
  }

  async #checkpoint(): Promise<void> {
    try {
      await pgliteExclusive(this.#db, () => {
        // Segments started from here on belong to the WAL after this checkpoint's redo point.
        this.#segments = 0;
        return this.#pglite.exec('CHECKPOINT');
      });
      this.#done++;
    } catch (error) {
      // Closed meanwhile: the shutdown checkpoint covered it. Otherwise the next segment makes it due again.
      this.#segments = this.#pglite.closed ? 0 : CHECKPOINT_DUE_SEGMENTS - 1;
      if (!this.#pglite.closed)
        process.emitWarning(`PGlite's checkpoint failed: ${(error as Error).message}`);
    }
  }
}
