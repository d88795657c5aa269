import type { EventStore, RecordedEvent } from '@concord/event-store';

/**
 * Reads the store's global order in pages, one page ahead: while a batch is applied, the next one is
 * already being read. Only ever what `readAll` returns, so only a prefix no later commit can slip into.
 */
export class PrefetchingReader {
  #next: Promise<RecordedEvent[]> | null = null;
  #nextAfter = -1;

  constructor(
    readonly store: EventStore,
    readonly batchSize: number,
  ) {}

  /** The events after `after` (at most a page), and starts reading the page after them. */
  async read(after: number, until = Number.POSITIVE_INFINITY): Promise<RecordedEvent[]> {
    let page: RecordedEvent[];
    if (this.#next && this.#nextAfter === after) page = await this.#next;
    else page = await this.store.readAll({ after, limit: this.batchSize });
    this.#next = null;
    const cut = page.findIndex((event) => event.globalPosition > until);
    if (cut >= 0) page = page.slice(0, cut);
    if (page.length === this.batchSize) {
      const last = page[page.length - 1]!.globalPosition;
      if (last < until) {
        this.#nextAfter = last;
        this.#next = this.store.readAll({ after: last, limit: this.batchSize });
        this.#next.catch(() => {});
      }
    }
    return page;
  }

  /** Drops a page read ahead (after a failed batch the projector reads from its checkpoint again). */
  reset(): void {
    this.#next = null;
    this.#nextAfter = -1;
  }
}
