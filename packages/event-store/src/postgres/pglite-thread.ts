import { Worker } from 'node:worker_threads';
import type { Results } from '@electric-sql/pglite';

/**
 * A statement's place in a transaction: the transaction it belongs to, and whether it opens or ends it.
 * The database's thread runs no other statement between a transaction's first and last.
 */
export interface InTransaction {
  readonly id: number;
  readonly begins?: boolean;
  readonly ends?: boolean;
}

/** What the main thread asks of the database's thread. */
export type PgliteRequest = { id: number; tx?: InTransaction } & (
  | { op: 'query'; sql: string; params?: unknown[]; options?: { blob?: Blob } }
  | { op: 'exec'; sql: string }
  | { op: 'close' }
);

/** Its answer to request `id` (0: the database is ready, or could not start). */
export type PgliteResponse = { id: number; result: unknown } | { id: number; error: Record<string, unknown> };

/**
 * Embedded PGlite in a worker thread of its own, with the part of PGlite's interface Concord uses (`query`,
 * `exec`, `close`). Statements are sent as soon as they are asked for and run one after the other in the
 * order sent, except that while a transaction is open (`tx`) only its statements run, the others waiting
 * for its end; so the database's thread is never idle while work waits, and no statement lands inside
 * another caller's transaction. A result (rows, a COPY's blob) or an error (message, PostgreSQL's code and
 * detail) comes back as data. If the thread dies, every waiting and later statement fails with the reason.
 * (ADR 0030)
 */
export class PgliteThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #next = 1;
  #stopped: Error | null = null;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (response: PgliteResponse) => this.#settle(response));
    worker.on('error', (error) => this.#stop(error));
    worker.on('exit', (code) =>
      this.#stop(new Error(`the embedded database's thread ended (exit code ${code})`)),
    );
  }

  /**
   * Starts PGlite in its own thread: in memory without `dataDir`; on disk `durable` (ADR 0010) unless
   * told otherwise.
   */
  static async open(dataDir: string | undefined, durable: boolean): Promise<PgliteThread> {
    const thread = new PgliteThread(
      new Worker(bootstrap(new URL('./pglite-worker.ts', import.meta.url)), {
        eval: true,
        workerData: { dataDir, durable },
      }),
    );
    await new Promise((resolve, reject) => thread.#pending.set(0, { resolve, reject }));
    thread.#idle();
    return thread;
  }

  query<T = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
    options?: { blob?: Blob },
    tx?: InTransaction,
  ): Promise<Results<T>> {
    return this.#ask({ op: 'query', sql, params, options, tx }) as Promise<Results<T>>;
  }

  exec(sql: string, tx?: InTransaction): Promise<Results[]> {
    return this.#ask({ op: 'exec', sql, tx }) as Promise<Results[]>;
  }

  /** Closes the database (its last WAL flushed) and ends the thread. */
  async close(): Promise<void> {
    if (this.#stopped) return;
    await this.#ask({ op: 'close' });
    this.#stop(new Error('the embedded database is closed'));
    await this.#worker.terminate();
  }

  #ask(request: DistributiveOmit<PgliteRequest, 'id'>): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#next++;
    // While a statement is out, the thread keeps the process alive (a CLI awaiting it must not exit).
    if (this.#pending.size === 0) this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #settle(response: PgliteResponse): void {
    const waiter = this.#pending.get(response.id);
    if (!waiter) return;
    this.#pending.delete(response.id);
    if ('error' in response) waiter.reject(asError(response.error));
    else waiter.resolve(response.result);
    this.#idle();
  }

  #idle(): void {
    if (this.#pending.size === 0) this.#worker.unref();
  }

  #stop(reason: Error): void {
    this.#stopped ??= reason;
    for (const waiter of this.#pending.values()) waiter.reject(reason);
    this.#pending.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An error from the database's thread, with its fields (PostgreSQL's `code`, `detail`, …) as they were. */
function asError(fields: Record<string, unknown>): Error {
  const { message, stack, ...rest } = fields;
  const error = Object.assign(new Error(String(message)), rest);
  if (typeof stack === 'string') error.stack = stack;
  return error;
}

/**
 * The worker's entry: tsx's loader registered in the new thread, then the TypeScript module, so the thread
 * starts the same way under `node --import tsx`, under the test runner and in a CLI.
 */
function bootstrap(entry: URL): string {
  const tsx = import.meta.resolve('tsx/esm/api');
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
}
