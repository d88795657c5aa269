import type { FastifyBaseLogger } from 'fastify';
import type { CommandBus } from '../commands/handle.ts';
import type { StreamStates } from '../commands/streams.ts';
import { PeriodicPass } from './periodic.ts';

/** What a step that issues commands every interval is given (the decision scheduler's beat). */
export interface ScheduledStepOptions {
  streams: StreamStates;
  bus: CommandBus;
  logger: FastifyBaseLogger;
  clock: () => Date;
  intervalMs: number;
}

/**
 * A process step that sweeps every `intervalMs` and on demand (a `PeriodicPass`): a subclass says what
 * one sweep does, and the step is started, stopped and swept like the others.
 */
export abstract class PeriodicStep {
  readonly #pass: PeriodicPass;

  /** `failure` is what the log says when a sweep fails (the next one tries again). */
  constructor(o: { intervalMs: number; logger: FastifyBaseLogger; failure: string }) {
    this.#pass = new PeriodicPass(() => this.pass(), o);
  }

  /** Sweeps every interval from now on. */
  start(): void {
    this.#pass.start();
  }

  running(): boolean {
    return this.#pass.running();
  }

  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void> {
    return this.#pass.stop();
  }

  /** One sweep now; concurrent calls share it. */
  sweep(): Promise<void> {
    return this.#pass.run();
  }

  /** What one sweep does. */
  protected abstract pass(): Promise<void>;
}
