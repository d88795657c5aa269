import {
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  NO_STREAM,
  type ReadRevision,
  START,
  type WrongExpectedVersionError,
} from '@eventstore/db-client';
import { ConcurrencyError, InvalidAppendError, StreamNotFoundError } from '../errors.ts';
import { GENESIS_HASH } from '../hash.ts';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  VerifyResult,
} from '../types.ts';
import { unchangedStreams } from '../unchanged.ts';
import { verifyEvents } from '../verify.ts';
import { type StreamHead, StreamHeads } from './heads.ts';
import {
  type ClientRecordedEvent,
  chainHashes,
  isSystemEvent,
  type PreparedEvent,
  prepareEvents,
  toClientConnectionString,
  toClientPosition,
  toEventData,
  toRecorded,
} from './mapping.ts';

const DEFAULT_LIMIT = 1000;
/** How often an `'any'` or `'stream_exists'` append re-reads the head after losing a race, before giving up. */
const UNPINNED_ATTEMPTS = 10;

function errorType(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
}

function isNotFound(error: unknown): boolean {
  const type = errorType(error);
  return type === ErrorType.STREAM_NOT_FOUND || type === ErrorType.STREAM_DELETED;
}

/** Our version is the 1-based position of the last event; EventStoreDB's revision is 0-based. */
function versionOf(current: WrongExpectedVersionError['actualVersion']): number {
  return typeof current === 'bigint' ? Number(current) + 1 : 0;
}

/** Where the append goes: the stream's version before it, and the hash of the event at that version. */
type Plan = { base: StreamHead } | { done: AppendResult };

/**
 * The event store on an EventStoreDB/KurrentDB server or cluster, through @eventstore/db-client.
 *
 * - Streams are streams; our stream position N is revision N-1; the global position is the event's
 *   commit position in `$all` (a byte offset: sparse and increasing, as the port allows).
 * - `readAll`, `head`, `subscribe` and `verify` read `$all` without system streams and events.
 * - Each event's hash (hash.ts) is computed here, chained on the stream's previous event, and kept in
 *   the event's metadata under `$concord` with the recording time it binds. The global position is not
 *   known before the write, so it is hashed as 0; `verify` checks with the same rule.
 * - Every append pins the exact revision it chained on, so no concurrent append can slip between an
 *   event and the predecessor its hash names. Event ids make retries idempotent (EventStoreDB checks
 *   them when the expected revision is behind the stream), but unlike PostgreSQL they are not unique
 *   across streams.
 * - Of the port's optional capabilities it offers none: no `streamHeads` (the heads live in the events'
 *   metadata), no bulk `scan` and no `analyze` (rebuilds read it through `readAll`, page by page).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly #client: EventStoreDBClient;
  readonly #heads = new StreamHeads();
  readonly #subscriptions = new Set<Subscription>();

  constructor(client: EventStoreDBClient) {
    this.#client = client;
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const prepared = prepareEvents(streamId, events);
    const expected = options.expectedVersion ?? 'any';
    if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0)) {
      throw new InvalidAppendError(`Expected version must be a whole number ≥ 0, got ${expected}`);
    }
    // KurrentDB appends to one stream at a time: the other streams are checked just before, not in the
    // append itself (on PostgreSQL they are, ADR 0043).
    const unchanged = unchangedStreams(options.unchanged);
    for (const [i, other] of unchanged.streamIds.entries()) {
      const found = await this.#version(other);
      if (found !== unchanged.versions[i]) throw new ConcurrencyError(other, unchanged.versions[i]!, found);
    }
    // A caller's version (or 'no_stream') is checked by the server; 'any' and 'stream_exists' are
    // pinned by us to the head we read, so losing a race just means reading the head again.
    const callerPinned = typeof expected === 'number' || expected === 'no_stream';

    for (let attempt = 1; ; attempt++) {
      const plan = await this.#plan(streamId, expected, prepared);
      if ('done' in plan) return plan.done;
      const { base } = plan;
      const recordedAtMs = this.#heads.stamp(streamId);
      const hashes = chainHashes(base.hash, base.version, prepared, recordedAtMs);
      try {
        await this.#client.appendToStream(
          streamId,
          prepared.map((event, i) => toEventData(event, hashes[i]!, recordedAtMs)),
          { expectedRevision: base.version === 0 ? NO_STREAM : BigInt(base.version - 1) },
        );
      } catch (error) {
        if (errorType(error) !== ErrorType.WRONG_EXPECTED_VERSION) throw error;
        this.#heads.forget(streamId);
        if (!callerPinned && attempt < UNPINNED_ATTEMPTS) continue;
        throw new ConcurrencyError(
          streamId,
          expected,
          versionOf((error as WrongExpectedVersionError).actualVersion),
        );
      }
      return this.#confirm(streamId, base.version, prepared.length, hashes.at(-1)!);
    }
  }

  async #plan(streamId: string, expected: ExpectedVersion, events: readonly PreparedEvent[]): Promise<Plan> {
    if (expected === 'no_stream' || expected === 0) {
      // Written only if the stream has no events; otherwise the server answers with a retry or a refusal.
      return { base: { version: 0, hash: GENESIS_HASH } };
    }
    if (typeof expected === 'number') {
      const cached = this.#heads.get(streamId);
      if (cached?.version === expected) return { base: cached };
      const previous = await this.#readAt(streamId, expected);
      if (!previous) throw new ConcurrencyError(streamId, expected, await this.#version(streamId));
      return { base: { version: expected, hash: Buffer.from(previous.hash, 'hex') } };
    }
    // 'any' or 'stream_exists': chain on the head, having looked whether the head is this very batch.
    const tail = await this.#read(streamId, {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: events.length,
    });
    const head = tail?.[0];
    if (!head) {
      if (expected === 'stream_exists') throw new ConcurrencyError(streamId, expected, 0);
      return { base: { version: 0, hash: GENESIS_HASH } };
    }
    const isRetry =
      tail.length === events.length &&
      tail.every((stored, i) => stored.id === events[events.length - 1 - i]!.id);
    if (isRetry) {
      return {
        done: {
          nextExpectedVersion: head.streamPosition,
          lastGlobalPosition: head.globalPosition,
          alreadyAppended: true,
        },
      };
    }
    return { base: { version: head.streamPosition, hash: Buffer.from(head.hash, 'hex') } };
  }

  /**
   * Reads back the last event of the append: its commit position is the result's global position, and
   * its hash tells our write from a retry the server recognised by the event ids (it then writes
   * nothing and answers as for the first append, whose recording time — hence hash — differs).
   */
  async #confirm(streamId: string, base: number, count: number, lastHash: Buffer): Promise<AppendResult> {
    const version = base + count;
    const stored = await this.#readAt(streamId, version);
    if (!stored) throw new Error(`Event ${version} of stream ${streamId} is missing right after its append.`);
    const storedHash = Buffer.from(stored.hash, 'hex');
    this.#heads.set(streamId, { version, hash: storedHash });
    if (storedHash.equals(lastHash)) {
      return {
        nextExpectedVersion: version,
        lastGlobalPosition: stored.globalPosition,
        alreadyAppended: false,
      };
    }
    return {
      nextExpectedVersion: await this.#version(streamId),
      lastGlobalPosition: stored.globalPosition,
      alreadyAppended: true,
    };
  }

  /** The event at a stream position, if the stream has it. */
  async #readAt(streamId: string, streamPosition: number): Promise<RecordedEvent | undefined> {
    const found = await this.#read(streamId, { fromRevision: BigInt(streamPosition - 1), maxCount: 1 });
    const event = found?.[0];
    return event?.streamPosition === streamPosition ? event : undefined;
  }

  /** The stream's version: the position of its last event, 0 when it has none. */
  async #version(streamId: string): Promise<number> {
    const last = await this.#read(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    return last?.[0]?.streamPosition ?? 0;
  }

  /** Reads a stream; undefined when it does not exist. */
  async #read(
    streamId: string,
    options: {
      direction?: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: ReadRevision;
      maxCount?: number;
    },
  ): Promise<RecordedEvent[] | undefined> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.#client.readStream(streamId, { direction: FORWARDS, ...options })) {
        if (resolved.event) events.push(toRecorded(resolved.event as ClientRecordedEvent));
      }
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    return events;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    let fromRevision: ReadRevision = backwards ? END : START;
    let nothingAsked = options.limit !== undefined && options.limit <= 0;
    if (options.from !== undefined) {
      const position = backwards ? Math.floor(options.from) : Math.ceil(options.from);
      if (position >= 1) fromRevision = BigInt(position - 1);
      else if (backwards) nothingAsked = true;
    }
    if (nothingAsked) {
      // Like the PostgreSQL adapter: an empty answer for a stream that exists, StreamNotFound otherwise.
      if ((await this.#version(streamId)) === 0) throw new StreamNotFoundError(streamId);
      return [];
    }
    const events = await this.#read(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision,
      ...(options.limit !== undefined && { maxCount: options.limit }),
    });
    if (!events) throw new StreamNotFoundError(streamId);
    return events;
  }

  /**
   * `$all` is EventStoreDB's committed log, read in log order: an event committed later always has a
   * higher position, so every answer is a prefix no later commit can slip into.
   * `after` must be 0 or a global position this store returned (a position in the middle of a log
   * record is not a place the server can read from).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0;
    const limit = options.limit ?? DEFAULT_LIMIT;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    const read = this.#client.readAll({
      direction: FORWARDS,
      fromPosition: after > 0 ? toClientPosition(after) : START,
    });
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (!event || isSystemEvent(event)) continue;
        const recorded = toRecorded(event);
        // Reading from a position includes the event at it: `after` is exclusive.
        if (recorded.globalPosition <= after) continue;
        events.push(recorded);
        if (events.length >= limit) break;
      }
    } finally {
      await read.cancel().catch(() => {});
    }
    return events;
  }

  /** A catch-up subscription to `$all` from `after`, then live; `batchSize` does not apply (the server streams). */
  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    const after = options.after;
    const stream = this.#client.subscribeToAll({
      fromPosition: after > 0 ? toClientPosition(after) : START,
      filter: excludeSystemEvents(),
    });
    let position = after;
    let closing = false;

    const run = async () => {
      let failure: { error: unknown } | undefined;
      try {
        // The iterator pulls one event at a time: the next is read only once the handler has finished.
        for await (const resolved of stream) {
          if (closing) break;
          const event = resolved.event;
          if (!event || isSystemEvent(event)) continue;
          const recorded = toRecorded(event);
          if (recorded.globalPosition <= position) continue;
          try {
            await handler(recorded);
          } catch (error) {
            failure = { error };
            break;
          }
          position = recorded.globalPosition;
        }
      } catch (error) {
        // Closing destroys the stream under the loop ("premature close"); anything else is a real failure.
        if (!closing) throw error;
      } finally {
        await stream.unsubscribe().catch(() => {});
      }
      if (failure) throw failure.error;
    };
    const done = run();
    // A handler failure ends the subscription; callers observe it through `done`.
    done.catch(() => {});

    const subscription: Subscription = {
      get position() {
        return position;
      },
      done,
      async close() {
        closing = true;
        await stream.unsubscribe().catch(() => {});
        stream.destroy();
        await done.catch(() => {});
      },
    };
    this.#subscriptions.add(subscription);
    done.finally(() => this.#subscriptions.delete(subscription)).catch(() => {});
    return subscription;
  }

  async streamVersion(streamId: string): Promise<number> {
    const read = this.#client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
    try {
      for await (const resolved of read) {
        if (resolved.event) return Number(resolved.event.revision) + 1;
      }
    } catch (error) {
      if (errorType(error) !== ErrorType.STREAM_NOT_FOUND) throw error;
    }
    return 0;
  }

  /**
   * Read from the category stream (`$ce-<text before the first dash>`) that KurrentDB's `$by_category`
   * system projection keeps, so the server must run its system projections (`--run-projections=system`).
   * The projection follows the log asynchronously: a stream created a moment ago may be listed a moment
   * later. A prefix without a dash has no category and is refused.
   */
  async streamVersions(prefix: string): Promise<Map<string, number>> {
    const dash = prefix.indexOf('-');
    if (dash <= 0) {
      throw new RangeError(
        `EventStoreDB lists streams by category: the prefix "${prefix}" needs a dash after the category`,
      );
    }
    const versions = new Map<string, number>();
    const read = this.#client.readStream(`$ce-${prefix.slice(0, dash)}`, {
      direction: FORWARDS,
      fromRevision: START,
      resolveLinkTos: true,
    });
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (!event?.streamId.startsWith(prefix)) continue;
        const version = Number(event.revision) + 1;
        if (version > (versions.get(event.streamId) ?? 0)) versions.set(event.streamId, version);
      }
    } catch (error) {
      if ((error as { type?: unknown }).type !== ErrorType.STREAM_NOT_FOUND) throw error;
    }
    return versions;
  }

  async head(): Promise<number> {
    const read = this.#client.readAll({ direction: BACKWARDS, fromPosition: END });
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (event && !isSystemEvent(event)) return toRecorded(event).globalPosition;
      }
      return 0;
    } finally {
      await read.cancel().catch(() => {});
    }
  }

  /** Every non-system event of `$all` in order; for audits and exports. */
  async *allStored(): AsyncGenerator<RecordedEvent> {
    const read = this.#client.readAll({ direction: FORWARDS, fromPosition: START });
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (event && !isSystemEvent(event)) yield toRecorded(event);
      }
    } finally {
      await read.cancel().catch(() => {});
    }
  }

  /**
   * Walks `$all` and checks every hash chain, with global position 0 in the hashes (see above). There
   * is no separate record of stream heads to compare with: EventStoreDB's own stream revision is the head.
   */
  async verify(): Promise<VerifyResult> {
    return verifyEvents(this.allStored(), undefined, { hashesBindGlobalPosition: false });
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
    await this.#client.dispose();
  }
}

/**
 * Opens an event store on EventStoreDB/KurrentDB, e.g. `esdb://node1:2113,node2:2113,node3:2113?tls=false`
 * (`kurrentdb://` is accepted too). The connection is made on first use.
 */
export async function openEventStoreDbEventStore(connectionString: string): Promise<EventStoreDbEventStore> {
  const client = EventStoreDBClient.connectionString(toClientConnectionString(connectionString));
  return new EventStoreDbEventStore(client);
}
