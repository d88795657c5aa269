import type { EventHandler, ReadAllOptions, RecordedEvent, SubscribeOptions, Subscription } from './types.ts';

/** Wakes waiting subscriptions when this process appended something; other processes are seen by polling. */
export class AppendSignal {
  #generation = 0;
  #waiters = new Set<() => void>();
  #listeners = new Set<() => void>();

  get generation(): number {
    return this.#generation;
  }

  notify(): void {
    this.#generation++;
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
    // The append has committed: a listener's failure must not make it look as if it had not.
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch {}
    }
  }

  /** Calls `listener` on every notify until the returned function is called. */
  listen(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves on the next notify, after `timeoutMs`, or at once if a notify came since `seenGeneration`. */
  wait(seenGeneration: number, timeoutMs: number, abort: AbortSignal): Promise<void> {
    if (this.#generation !== seenGeneration || abort.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        abort.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
      abort.addEventListener('abort', done, { once: true });
    });
  }
}

/**
 * A catch-up subscription over any `readAll` that only returns a safe prefix of the global order:
 * pages through history, then waits for a local append or the poll interval, and reads again.
 */
export function pollingSubscription(
  readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>,
  signal: AppendSignal,
  options: SubscribeOptions & { pollIntervalMs: number },
  handler: EventHandler,
): Subscription {
  const abort = new AbortController();
  const batchSize = options.batchSize ?? 500;
  let position = options.after;

  const run = async () => {
    while (!abort.signal.aborted) {
      const seen = signal.generation;
      const batch = await readAll({ after: position, limit: batchSize });
      for (const event of batch) {
        if (abort.signal.aborted) return;
        await handler(event);
        position = event.globalPosition;
      }
      if (batch.length < batchSize) await signal.wait(seen, options.pollIntervalMs, abort.signal);
    }
  };
  const done = run();
  // A handler failure ends the subscription; callers observe it through `done`.
  done.catch(() => {});

  return {
    get position() {
      return position;
    },
    done,
    async close() {
      abort.abort();
      await done.catch(() => {});
    },
  };
}
