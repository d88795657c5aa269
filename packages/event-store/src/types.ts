/**
 * Who did something, for whom, and why it happened: carried with every event.
 * The store does not interpret metadata beyond requiring it to be JSON; these are the fields Concord writes.
 */
export interface EventMetadata {
  /** The command that produced the event. */
  commandId?: string;
  /** Shared by everything that one request set in motion. */
  correlationId?: string;
  /** The event or command that directly caused this one. */
  causationId?: string;
  /** The person acting, and the member organization they act for (null for facilitators, auditors, the system). */
  actor?: { personId: string; organizationId: string | null; role?: string };
  /** Version of the event's data schema, so readers can upcast older shapes. */
  schemaVersion?: number;
  [key: string]: unknown;
}

/** An event as handed to `append`: the caller chooses its id so a retried append is recognised. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  /** A UUID. Appending an id already stored at the same place in the same stream is a no-op. */
  id: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
}

/** An event as stored: its place in its stream and in the whole store, when it was recorded, and its hash. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  streamId: string;
  /** 1 for the first event of a stream. */
  streamPosition: number;
  /** Orders all events of the store; sparse (the appending transaction's id × 1000 + index), never reused. */
  globalPosition: number;
  recordedAt: Date;
  /** Hex SHA-256 binding this event to its content and to the previous event of its stream. */
  hash: string;
}

/**
 * What the stream must look like for an append to go ahead:
 * a version (the stream position of its last event), `'no_stream'`, `'stream_exists'` or `'any'`.
 */
export type ExpectedVersion = number | 'no_stream' | 'stream_exists' | 'any';

/** A stream and the version it must still be at. */
export interface StreamAt {
  streamId: string;
  /** The stream position of its last event; 0 for a stream with no events. */
  version: number;
}

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
  /**
   * Other streams that must still be at these versions when the append is made, as part of it: the
   * streams a decision read its facts from (ADR 0043). The first that moved on refuses the append with a
   * `ConcurrencyError` naming that stream. At most 100.
   */
  unchanged?: readonly StreamAt[];
}

export interface AppendResult {
  /** The stream's version after the append (the stream position of its last event). */
  nextExpectedVersion: number;
  /** Global position of the last appended event. */
  lastGlobalPosition: number;
  /** True when every event was already stored at this place: a retried append. Nothing was written. */
  alreadyAppended: boolean;
}

export interface ReadStreamOptions {
  /** First stream position to return (forwards) or the highest (backwards). */
  from?: number;
  direction?: 'forwards' | 'backwards';
  limit?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this global position; 0 (the default) reads from the start. */
  after?: number;
  limit?: number;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this global position: a checkpoint saved by an earlier run. */
  after: number;
  /** Events fetched per page while catching up. */
  batchSize?: number;
}

/** Handles one event; the subscription waits for the returned promise before delivering the next. */
export type EventHandler = (event: RecordedEvent) => void | Promise<void>;

export interface Subscription {
  /** Stops delivery; resolves when the current handler call (if any) has finished. */
  close(): Promise<void>;
  /** Resolves when the subscription stops: after `close()`, or rejects if the handler throws. */
  readonly done: Promise<void>;
  /** The global position of the last event delivered. */
  readonly position: number;
}

export type VerifyResult =
  | {
      ok: true;
      /** Number of events checked. */
      events: number;
      /** Digest over every event hash in global order: note it to detect later rewrites of this prefix. */
      headHash: string;
      headPosition: number;
    }
  | {
      ok: false;
      events: number;
      firstBad: {
        streamId: string;
        streamPosition: number;
        globalPosition: number | null;
        problem: 'hash_mismatch' | 'missing_event' | 'unexpected_event' | 'order' | 'stream_head_mismatch';
        detail: string;
      };
    };

/**
 * A stream's head as the store recorded it when its last append committed: the stream's version and the
 * hash of the event at that version. Kept apart from the events, so a removed or rewritten tail is
 * evident (`verifyEvents` compares both with the walked chain).
 */
export interface RecordedStreamHead {
  streamId: string;
  /** The stream position of the stream's last event. */
  version: number;
  /** Hex SHA-256: the `hash` of the event at `version`. */
  hash: string;
}

/** A stored event as a bulk reader gets it: data and metadata as the JSON text stored. */
export interface StoredEventText {
  globalPosition: number;
  streamId: string;
  streamPosition: number;
  id: string;
  type: string;
  /** The event's data, as stored (JSON text). */
  data: string;
  /** The event's metadata, as stored (JSON text). */
  metadata: string;
  /** When it was recorded: milliseconds since the epoch, and the same instant as ISO-8601 UTC. */
  recordedAtMs: number;
  recordedAt: string;
  /** Hex SHA-256 of the hash chain. */
  hash: string;
}

export interface ScanOptions {
  /** Events strictly after this global position (default 0). */
  after?: number;
  /** Up to and including this global position: one that `head()` or `readAll` returned. */
  until: number;
  /** Events per page (default 20,000). */
  pageSize?: number;
}

/**
 * A page of events read in bulk. Events are decoded one at a time as `forEach` reaches them, so the page
 * itself holds only the bytes the database sent (outside the JavaScript heap), and each event's strings
 * are garbage as soon as the caller is done with it.
 */
export interface StoredEventPage {
  readonly length: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  /** Calls `callback` with the events at indexes `from` (default 0) up to but not including `to` (default all). */
  forEach(callback: (event: StoredEventText) => void, from?: number, to?: number): void;
}

/** The one place every fact of the coalition is written. */
export interface EventStore {
  /**
   * Appends events to one stream atomically, checking the stream's version first.
   * @throws ConcurrencyError when the stream is not at the expected version.
   * @throws EventIdConflictError when an event id is already stored elsewhere.
   */
  append(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /** The stream's events in order. @throws StreamNotFoundError when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events of all streams in global order, only ever returning a prefix no later commit can slip into. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catches up from `after`, then delivers new events as they are committed, in global order, each once. */
  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription;
  /**
   * The current version of every stream whose id starts with `prefix` (literal text): how a caller finds
   * every stream of one kind, e.g. every member organization's.
   */
  streamVersions(prefix: string): Promise<Map<string, number>>;
  /** The stream's current version: the position of its last event, 0 when it has none. */
  streamVersion(streamId: string): Promise<number>;
  /** Global position of the last event readers can see (0 when empty). */
  head(): Promise<number>;
  /**
   * Every stream's recorded head as of `until` (a position `head()` or `readAll` returned), in byte order
   * of the stream ids: a stream whose recorded head lies beyond `until` is given as its last event at or
   * before `until`; a stream with no event up to `until` is left out. Optional: a store that keeps no
   * heads apart from its events (EventStoreDB/KurrentDB) has none to give.
   */
  streamHeads?(until: number): AsyncIterable<RecordedStreamHead>;
  /**
   * Bulk reading, an optional capability: every event after `after` up to and including `until` (a
   * position `head()` or `readAll` returned), in global order, in large pages, with data and metadata as
   * the JSON text stored. A rebuild of the read models reads this way when the store offers it, and page
   * by page through `readAll` when it does not. PostgreSQL and PGlite offer it (binary `COPY`);
   * EventStoreDB/KurrentDB does not (its reads are `readAll`'s).
   */
  scan?(options: ScanOptions): AsyncIterable<StoredEventPage>;
  /**
   * Refreshes the database's planner statistics of the stored events, an optional capability: before a
   * read of the whole history, so a store behind a query planner plans it as the walk it is.
   */
  analyze?(): Promise<void>;
  /**
   * Calls `listener` each time an append made through this store object has committed, an optional
   * capability: how a follower in the same process learns of new events at once without reading for
   * them (appends of other processes are seen by reading). Returns the function that stops the calls.
   */
  onAppended?(listener: () => void): () => void;
  /** Walks the whole store and checks every hash. */
  verify(): Promise<VerifyResult>;
  close(): Promise<void>;
}
