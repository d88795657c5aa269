import type { EventStore } from '@concord/event-store';
import { type AppliedBatch, Projector, type ReadModels, readModels } from '@concord/projections';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';

/**
 * The read side as the API sees it: the read models and the projector that keeps them current. In the
 * embedded default the projector runs in this process on the same database; a deployment with a separate
 * projector gives the API the read models only (`projector: false`), and `waitFor` then polls the
 * checkpoint.
 */
export interface ReadSide {
  readonly models: ReadModels;
  /** Whether the projector runs in this process (its batches can be followed with `onBatch`). */
  readonly projecting: boolean;
  /** Global position the read models have reached. */
  position(): Promise<number>;
  /**
   * The in-process projector's position and the number of events the read models hold, read
   * synchronously (null without a projector here). A jump in `events` between two batches means the
   * checkpoint moved under the projector (a rebuild was swapped in, or another projector ran).
   */
  progress(): { position: number; events: number } | null;
  /** Resolves true once the read models include `position` (read-your-writes), false after the timeout. */
  waitFor(position: number, timeoutMs: number): Promise<boolean>;
  /** Calls `listener` after each applied batch; returns the unsubscribe function (the live feed's seam). */
  onBatch(listener: (batch: AppliedBatch) => void): () => void;
  running(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Runs `task` with the in-process projector stopped at a known position (handed to it), then starts the
   * projector again: how a replay check compares the live read models at one position. Throws without
   * a projector here.
   */
  whilePaused<T>(task: (position: number) => Promise<T>): Promise<T>;
}

export function projectionsReadSide(options: {
  db: Kysely<unknown>;
  store: EventStore;
  logger?: FastifyBaseLogger;
  schema?: string;
  /** Run the projector in this process (the embedded default). */
  projector?: boolean;
  batchSize?: number;
}): ReadSide {
  const models = readModels(options.db, options.schema);
  const projector =
    options.projector === false
      ? null
      : new Projector({
          db: options.db,
          store: options.store,
          schema: options.schema,
          logger: options.logger,
          batchSize: options.batchSize,
        });
  let running = false;
  const stored = async () => (await models.checkpoint())?.position ?? 0;
  return {
    models,
    projecting: projector !== null,
    async position() {
      return projector ? projector.position : stored();
    },
    progress() {
      return projector ? { position: projector.position, events: projector.eventsApplied } : null;
    },
    async waitFor(position, timeoutMs) {
      if (projector) {
        return projector.waitFor(position, timeoutMs).then(
          () => true,
          () => false,
        );
      }
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await stored()) >= position) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    },
    onBatch(listener) {
      if (!projector) throw new Error('No projector runs in this process: follow the store instead.');
      return projector.onBatch(listener);
    },
    running: () => running,
    async start() {
      await projector?.start();
      running = true;
    },
    async stop() {
      running = false;
      await projector?.stop();
    },
    async whilePaused(task) {
      if (!projector) throw new Error('No projector runs in this process.');
      await projector.stop();
      try {
        return await task(projector.position);
      } finally {
        if (running) await projector.start();
      }
    },
  };
}
