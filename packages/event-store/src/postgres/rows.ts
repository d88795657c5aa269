import type { RecordedEvent } from '../types.ts';
import type { EventStoreTables } from './schema.ts';

/**
 * An event row as the drivers return it: the table's columns, with the time as a Date or text and the
 * hash as hex text (selected with `encode`) or the bytes (a `bytea` read as is).
 */
export type EventRow = Omit<EventStoreTables['events'], 'recorded_at' | 'hash'> & {
  recorded_at: Date | string;
  hash: Uint8Array | string;
};

/** A hash as hex text, whether it came as bytes or as text (`\x` prefixed or not). */
export const hexOf = (value: Uint8Array | string): string =>
  typeof value === 'string' ? value.replace(/^\\x/, '') : Buffer.from(value).toString('hex');

/** The port's view of a stored event row. */
export function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: (row.metadata ?? {}) as RecordedEvent['metadata'],
    streamId: row.stream_id,
    streamPosition: Number(row.stream_position),
    globalPosition: Number(row.global_position),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
    hash: hexOf(row.hash),
  };
}
