import type { FastifyBaseLogger } from 'fastify';

/**
 * A pass run every `intervalMs` and on demand: concurrent calls share the pass in progress, and a
 * failing pass is logged (the next one tries again), never thrown into the timer.
 */
export class PeriodicPass {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly o: { intervalMs: number; logger: FastifyBaseLogger; failure: string },
  ) {}

  /** Runs every interval from now on (the timer keeps no process alive). */
  start(): void {
    this.#timer = setInterval(() => void this.run(), this.o.intervalMs);
    this.#timer.unref();
  }

  running(): boolean {
    return this.#timer !== undefined;
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One pass now; concurrent calls share it. */
  run(): Promise<void> {
    this.#running ??= this.pass()
      .catch((error) => this.o.logger.error({ err: error }, this.o.failure))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }
}
