import { type Kysely, sql } from 'kysely';
import { contentDigest, eventHash, GENESIS_HASH } from '../hash.ts';
import type { RecordedEvent } from '../types.ts';
import { type EventRow, toRecorded } from './rows.ts';
import type { EventStoreTables } from './schema.ts';

/** What a rewrite changes in one stored event: its data and metadata, or null to leave it as it is. */
export type EventTransform = (
  event: RecordedEvent,
) => { data: unknown; metadata: RecordedEvent['metadata'] } | null;

/** One stored event whose bytes changed: its own data, or its hash through its stream's re-chaining. */
export interface RewrittenEvent {
  eventId: string;
  streamId: string;
  globalPosition: number;
  previousHash: string;
  hash: string;
}

export interface RewriteOptions {
  /** The event types the transform may change (only those are read to find the streams to re-chain). */
  types: readonly string[];
  transform: EventTransform;
}

/**
 * Rewrites stored events in place and re-chains the streams they are in, in one transaction: the
 * maintenance path for data that must leave the log (e.g. personal data written by an older version).
 * Events are immutable to every other writer; this lifts the guards for its own transaction only, and
 * must run with the server stopped (the folder lock, or the operator, ensures it). Positions, ids, types
 * and recording times stay; each changed event's data and metadata and every later hash of its stream
 * change, and each stream's head follows. Returns every event whose stored bytes changed, with its hash
 * before and after, for the record of the rewrite.
 */
export async function rewriteStoredEvents(
  root: Kysely<unknown>,
  schema: string,
  options: RewriteOptions,
): Promise<RewrittenEvent[]> {
  const s = `"${schema}"`;
  return root.transaction().execute(async (trx) => {
    const db = (trx as Kysely<EventStoreTables>).withSchema(schema);
    const candidates = (await db
      .selectFrom('events')
      .selectAll()
      .where('type', 'in', [...options.types])
      .orderBy('global_position')
      .execute()) as EventRow[];
    const streams = new Set(
      candidates.filter((row) => options.transform(toRecorded(row)) !== null).map((row) => row.stream_id),
    );
    if (streams.size === 0) return [];
    // The guards refuse every change but an append's; lifted for this transaction's statements only.
    const guarded = await sql<{ tgname: string; table: string }>`
      select t.tgname, c.relname as "table" from pg_trigger t
        join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = ${schema} and not t.tgisinternal and t.tgname in ('events_immutable', 'streams_appends_only')`.execute(
      trx,
    );
    for (const { tgname, table } of guarded.rows) {
      await sql.raw(`ALTER TABLE ${s}."${table}" DISABLE TRIGGER "${tgname}"`).execute(trx);
    }
    const rewritten: RewrittenEvent[] = [];
    for (const streamId of [...streams].sort()) {
      const rows = (await db
        .selectFrom('events')
        .selectAll()
        .where('stream_id', '=', streamId)
        .orderBy('stream_position')
        .execute()) as EventRow[];
      let previous: Uint8Array = GENESIS_HASH;
      for (const row of rows) {
        const event = toRecorded(row);
        const changed = options.transform(event);
        const dataJson = JSON.stringify(changed ? changed.data : event.data);
        const metadataJson = JSON.stringify(changed ? changed.metadata : event.metadata);
        const hash = eventHash(
          previous,
          contentDigest({ streamId, id: event.id, type: event.type, dataJson, metadataJson }),
          {
            streamPosition: event.streamPosition,
            globalPosition: event.globalPosition,
            recordedAtMs: event.recordedAt.getTime(),
          },
        );
        previous = hash;
        if (changed === null && hash.toString('hex') === event.hash) continue;
        await sql`UPDATE ${sql.raw(`${s}.events`)}
                     SET data = ${dataJson}::json, metadata = ${metadataJson}::json, hash = ${hash}
                   WHERE global_position = ${event.globalPosition}`.execute(trx);
        rewritten.push({
          eventId: event.id,
          streamId,
          globalPosition: event.globalPosition,
          previousHash: event.hash,
          hash: hash.toString('hex'),
        });
      }
      await sql`UPDATE ${sql.raw(`${s}.streams`)} SET head_hash = ${Buffer.from(previous)}
                 WHERE stream_id = ${streamId}`.execute(trx);
    }
    for (const { tgname, table } of guarded.rows) {
      await sql.raw(`ALTER TABLE ${s}."${table}" ENABLE TRIGGER "${tgname}"`).execute(trx);
    }
    return rewritten.sort((a, b) => a.globalPosition - b.globalPosition);
  });
}
