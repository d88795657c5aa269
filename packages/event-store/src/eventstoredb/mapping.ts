import type { JSONEventData, JSONType, Position } from '@eventstore/db-client';
import { InvalidAppendError } from '../errors.ts';
import { contentDigest, eventHash } from '../hash.ts';
import { assertStreamId } from '../stream-id.ts';
import type { EventMetadata, NewEvent, RecordedEvent } from '../types.ts';

/**
 * The key under which the adapter keeps its own fields in an event's EventStoreDB metadata. Callers
 * never see it: it is stripped when events are read, and refused in the metadata they append.
 */
export const RESERVED_METADATA_KEY = '$concord';

/** What the adapter stores beside the caller's metadata. */
export interface ConcordEnvelope {
  /** Version of this envelope's shape. */
  v: 1;
  /** Hex event hash (see hash.ts), computed by the appender with global position 0. */
  hash: string;
  /** The recording time that the hash binds (EventStoreDB's own `created` is not part of the hash). */
  recordedAtMs: number;
}

/**
 * EventStoreDB assigns an event's place in `$all` (its commit position) only when it writes it, after
 * the hash was computed: hashes on this adapter bind 0 where the PostgreSQL adapter binds the global
 * position. See docs/adr/0003-eventstoredb-adapter.md.
 */
export const HASHED_GLOBAL_POSITION = 0;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An event to append, with the exact JSON texts its content digest covers. */
export interface PreparedEvent {
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  digest: Buffer;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/** Checks an append the way the PostgreSQL adapter does, plus what EventStoreDB reserves. */
export function prepareEvents(streamId: string, events: readonly NewEvent[]): PreparedEvent[] {
  if (events.length === 0) throw new InvalidAppendError('An append needs at least one event.');
  assertStreamId(streamId);
  if (streamId.startsWith('$')) {
    throw new InvalidAppendError(
      `Stream ids starting with "$" are EventStoreDB system streams: "${streamId}".`,
    );
  }
  return events.map((event) => {
    if (!UUID.test(event.id)) throw new InvalidAppendError(`Event id "${event.id}" is not a UUID.`);
    if (!event.type) throw new InvalidAppendError('Every event needs a type.');
    if (event.type.startsWith('$')) {
      throw new InvalidAppendError(
        `Event types starting with "$" are EventStoreDB system events: "${event.type}".`,
      );
    }
    const metadata = event.metadata ?? {};
    if (!isPlainObject(metadata)) throw new InvalidAppendError('Event metadata must be a JSON object.');
    if (Object.hasOwn(metadata, RESERVED_METADATA_KEY)) {
      throw new InvalidAppendError(
        `The metadata key "${RESERVED_METADATA_KEY}" is reserved by the event store.`,
      );
    }
    const id = event.id.toLowerCase();
    const data = event.data ?? null;
    // The client stores JSON.stringify of both; a reader gets them back through JSON.parse, whose
    // JSON.stringify is the same text, so verifyEvents recomputes the same digest.
    const digest = contentDigest({
      streamId,
      id,
      type: event.type,
      dataJson: JSON.stringify(data),
      metadataJson: JSON.stringify(metadata),
    });
    return { id, type: event.type, data, metadata, digest };
  });
}

/**
 * Chains the events onto `previous` (the hash of the stream's event at `baseVersion`, or the genesis
 * hash when the stream is empty), all recorded at `recordedAtMs`.
 */
export function chainHashes(
  previous: Uint8Array,
  baseVersion: number,
  events: readonly PreparedEvent[],
  recordedAtMs: number,
): Buffer[] {
  const hashes: Buffer[] = [];
  let last = previous;
  events.forEach((event, i) => {
    const hash = eventHash(last, event.digest, {
      streamPosition: baseVersion + i + 1,
      globalPosition: HASHED_GLOBAL_POSITION,
      recordedAtMs,
    });
    hashes.push(hash);
    last = hash;
  });
  return hashes;
}

/** The event as handed to the client: the caller's metadata with the adapter's envelope last. */
export function toEventData(event: PreparedEvent, hash: Buffer, recordedAtMs: number): JSONEventData {
  const envelope: ConcordEnvelope = { v: 1, hash: hash.toString('hex'), recordedAtMs };
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    // Any JSON value round-trips through the client's JSON.stringify/JSON.parse; its type is narrower.
    data: event.data as JSONType,
    metadata: { ...event.metadata, [RESERVED_METADATA_KEY]: envelope },
  };
}

/** The fields the adapter reads from the client's recorded events (stream reads, `$all` reads, subscriptions). */
export interface ClientRecordedEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  data: unknown;
  metadata: unknown;
  position?: Position | undefined;
}

/** System streams (`$…`, including `$$…` metadata streams) and system event types (`$…`, links `$>`). */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

/**
 * Commit positions are byte offsets in the transaction log: sparse, increasing, never reused, which
 * the port allows for global positions. They fit a double until 8 PiB of log.
 */
export function toGlobalPosition(commit: bigint): number {
  if (commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`Commit position ${commit} is beyond what a global position can hold.`);
  }
  return Number(commit);
}

/**
 * The `$all` position of an event written by an ordinary (implicit-transaction) append: commit and
 * prepare positions are equal for those, which is all Concord writes.
 */
export function toClientPosition(globalPosition: number): Position {
  if (!Number.isSafeInteger(globalPosition) || globalPosition < 0) {
    throw new RangeError(`A global position is a whole number ≥ 0, got ${globalPosition}.`);
  }
  return { commit: BigInt(globalPosition), prepare: BigInt(globalPosition) };
}

/** Maps a stored event to the port's shape, stripping the adapter's envelope from the metadata. */
export function toRecorded(event: ClientRecordedEvent): RecordedEvent {
  if (!event.position) {
    throw new Error(
      `Event ${event.id} was read without its $all position: the server must be EventStoreDB 22.6 or later (or KurrentDB).`,
    );
  }
  const stored = isPlainObject(event.metadata) ? event.metadata : {};
  const { [RESERVED_METADATA_KEY]: envelope, ...metadata } = stored;
  const concord = isPlainObject(envelope) ? envelope : undefined;
  // An event appended by another tool has no envelope: an empty hash, which verify reports as altered.
  const hash = typeof concord?.hash === 'string' ? concord.hash : '';
  const recordedAtMs =
    typeof concord?.recordedAtMs === 'number' ? concord.recordedAtMs : event.created.getTime();
  return {
    id: event.id.toLowerCase(),
    type: event.type,
    data: event.data,
    metadata: metadata as EventMetadata,
    streamId: event.streamId,
    streamPosition: Number(event.revision) + 1,
    globalPosition: toGlobalPosition(event.position.commit),
    recordedAt: new Date(recordedAtMs),
    hash,
  };
}

/**
 * The client speaks `esdb://` and `esdb+discover://`; KurrentDB documents `kurrentdb://` (and
 * `kurrent://`) for the same settings, so both spellings are accepted.
 */
export function toClientConnectionString(url: string): string {
  return url.replace(
    /^kurrent(?:db)?(\+discover)?:\/\//i,
    (_match, discover: string | undefined) => `esdb${discover ?? ''}://`,
  );
}
