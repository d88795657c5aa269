import { LRUCache } from 'lru-cache';

/** A stream's version as this process last saw it, and the hash of the event at that version. */
export interface StreamHead {
  version: number;
  hash: Buffer;
}

/**
 * What this process remembers about the streams it appended to, bounded in size.
 *
 * An entry is a fact that stays true — "the event at `version` has `hash`" — even when the stream has
 * moved on since: events are immutable, and EventStoreDB only writes an append whose expected revision
 * is the stream's current one. So a stale entry can never put a wrong predecessor hash into the chain;
 * at worst the append is refused (and the entry dropped) or recognised as a retry.
 */
export class StreamHeads {
  readonly #heads: LRUCache<string, StreamHead>;
  readonly #stamps: LRUCache<string, number>;

  constructor(readonly limit = 10_000) {
    this.#heads = new LRUCache({ max: limit });
    this.#stamps = new LRUCache({ max: limit });
  }

  get(streamId: string): StreamHead | undefined {
    return this.#heads.get(streamId);
  }

  set(streamId: string, head: StreamHead): void {
    this.#heads.set(streamId, head);
  }

  forget(streamId: string): void {
    this.#heads.delete(streamId);
  }

  /**
   * The recording time for the next append to a stream: now, but always later than the previous
   * attempt on that stream in this process. Two attempts on one stream therefore never hash alike,
   * which is how a retry that EventStoreDB recognised (and did not write) is told from our own write.
   */
  stamp(streamId: string): number {
    const now = Math.max(Date.now(), (this.#stamps.get(streamId) ?? 0) + 1);
    this.#stamps.set(streamId, now);
    return now;
  }
}
