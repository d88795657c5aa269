import { createHash, hash } from 'node:crypto';

/** The hash before a stream's first event. */
export const GENESIS_HASH = Buffer.alloc(32);

/** The parts of an event known before it is stored; JSON fields are the exact text that is stored. */
export interface DigestedFields {
  streamId: string;
  id: string;
  type: string;
  dataJson: string;
  metadataJson: string;
}

/** Where and when the store put the event. */
export interface Placement {
  streamPosition: number;
  globalPosition: number;
  recordedAtMs: number;
}

/**
 * SHA-256 over the event's own fields, each prefixed by its UTF-8 byte length so no field can bleed
 * into the next. Computed by the appender, so the database only chains 32-byte digests.
 */
export function contentDigest(fields: DigestedFields): Buffer {
  const id = fields.id.toLowerCase();
  const { streamId, type, dataJson, metadataJson } = fields;
  // One-shot over the concatenation: the same bytes as one update per field, without a Hash object per
  // event (this runs for every event appended).
  return hash(
    'sha256',
    `${Buffer.byteLength(streamId)}:${streamId}${Buffer.byteLength(id)}:${id}${Buffer.byteLength(type)}:${type}${Buffer.byteLength(dataJson)}:${dataJson}${Buffer.byteLength(metadataJson)}:${metadataJson}`,
    'buffer',
  );
}

function int64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt(value));
  return buffer;
}

/**
 * The event's hash: SHA-256 of the previous hash in its stream, its content digest, and its stream
 * position, global position and recording time as big-endian 64-bit integers. The PostgreSQL append
 * function computes the same bytes (postgres/schema.ts); an exported store can be checked with
 * nothing but this function.
 */
export function eventHash(previous: Uint8Array, digest: Uint8Array, placement: Placement): Buffer {
  return createHash('sha256')
    .update(previous)
    .update(digest)
    .update(int64(placement.streamPosition))
    .update(int64(placement.globalPosition))
    .update(int64(placement.recordedAtMs))
    .digest();
}

/** Folds an event hash into the running digest of the whole store, in global order. */
export function chainDigest(digest: Uint8Array, eventHashValue: Uint8Array): Buffer {
  return createHash('sha256').update(digest).update(eventHashValue).digest();
}
