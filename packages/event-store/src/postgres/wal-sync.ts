import { fdatasync, fdatasyncSync } from 'node:fs';

/**
 * The WAL flushes of the event store's appends on PGlite, made on Node's thread pool instead of PGlite's
 * one thread (ADR 0034). PostgreSQL runs inside this process: as it commits, it calls `fdatasync` on the
 * WAL and waits, and so does everything else the server was doing, for as long as the disk takes. During a
 * call run with `deferring`, that flush is only noted; `flushed()` then makes it on the thread pool and
 * resolves once it is on disk, and the append is answered only after it. Meanwhile PGlite runs other
 * statements.
 *
 * PostgreSQL believes the WAL flushed when its call returns, so this keeps its rule for it: nothing that
 * depends on the WAL reaches the disk first. Before PostgreSQL writes any file other than the WAL, syncs
 * any file or closes a WAL file, every flush put off is made at once, on PGlite's thread (`now`).
 */
export class WalSync {
  #deferring = false;
  /** Descriptors of WAL files whose flush was put off, and not started yet. */
  readonly #pending = new Set<number>();
  /** Descriptors being synced on the thread pool now. */
  #syncing: readonly number[] = [];
  /** Flushes put off so far, and how many of them are on disk. */
  #requested = 0;
  #done = 0;
  #running: Promise<void> | null = null;
  #failure: Error | undefined;

  /** Runs `call` (one call into PGlite, made while holding its lock) with its commits' WAL flushes put off. */
  async deferring<T>(call: () => Promise<T>): Promise<T> {
    this.#deferring = true;
    try {
      return await call();
    } finally {
      this.#deferring = false;
    }
  }

  /** PostgreSQL asks for the WAL file behind `fd` to be flushed: true when it is put off. */
  putOff(fd: number): boolean {
    if (!this.#deferring) return false;
    if (this.#failure) throw this.#failure;
    this.#pending.add(fd);
    this.#requested++;
    return true;
  }

  /** Whether a flush put off is not on disk yet. */
  get owing(): boolean {
    return this.#done < this.#requested;
  }

  /** Resolves once every flush put off until now is on disk; rejects if a sync failed (as PostgreSQL would stop). */
  async flushed(): Promise<void> {
    const target = this.#requested;
    while (this.#done < target) {
      if (this.#failure) throw this.#failure;
      this.#running ??= this.#syncPending().finally(() => {
        this.#running = null;
      });
      await this.#running.catch(() => {});
    }
  }

  async #syncPending(): Promise<void> {
    const target = this.#requested;
    const fds = [...this.#pending];
    this.#pending.clear();
    this.#syncing = fds;
    try {
      await Promise.all(
        fds.map(
          (fd) =>
            new Promise<void>((resolve, reject) =>
              fdatasync(fd, (error) => (error ? reject(error) : resolve())),
            ),
        ),
      );
      this.#done = Math.max(this.#done, target);
    } catch (error) {
      // `now` synced them all meanwhile, before PostgreSQL closed a descriptor this call was still using.
      if (this.#done < target) {
        this.#failure = error as Error;
        throw error;
      }
    } finally {
      this.#syncing = [];
    }
  }

  /** Whether `fd` is a descriptor whose flush was put off or is under way. */
  holds(fd: number): boolean {
    return this.#pending.has(fd) || this.#syncing.includes(fd);
  }

  /** Makes every flush put off, here and now (PGlite's thread waits, as it did for each commit before). */
  now(): void {
    if (!this.owing) return;
    if (this.#failure) throw this.#failure;
    const target = this.#requested;
    try {
      for (const fd of new Set([...this.#pending, ...this.#syncing])) fdatasyncSync(fd);
    } catch (error) {
      this.#failure = error as Error;
      throw error;
    }
    this.#pending.clear();
    this.#done = Math.max(this.#done, target);
  }
}
