import { createHash } from 'node:crypto';

/** The hash before a stream's first event. */
export const GENESIS_HASH = Buffer.alloc(32);

/** What an event's hash covers; JSON fields are the exact text that was stored. */
export interface HashedFields {
  streamId: string;
  streamPosition: number;
  globalPosition: number;
  id: string;
  type: string;
  recordedAtMs: number;
  dataJson: string;
  metadataJson: string;
}

/**
 * SHA-256 over the previous hash of the stream and the event's fields, each prefixed by its UTF-8 byte
 * length so no field can bleed into the next. The PostgreSQL append function computes the same bytes
 * (see postgres/schema.ts); an exported store can be checked with nothing but this function.
 */
export function eventHash(previous: Uint8Array, fields: HashedFields): Buffer {
  const parts = [
    fields.streamId,
    String(fields.streamPosition),
    String(fields.globalPosition),
    fields.id.toLowerCase(),
    fields.type,
    String(fields.recordedAtMs),
    fields.dataJson,
    fields.metadataJson,
  ];
  const hash = createHash('sha256').update(previous);
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:${part}`);
  return hash.digest();
}

/** Folds an event hash into the running digest of the whole store, in global order. */
export function chainDigest(digest: Uint8Array, eventHashValue: Uint8Array): Buffer {
  return createHash('sha256').update(digest).update(eventHashValue).digest();
}
