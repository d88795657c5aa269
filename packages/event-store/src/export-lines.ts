import type { RecordedEvent, RecordedStreamHead, VerifyResult } from './types.ts';
import { verifyEvents } from './verify.ts';

/**
 * The JSON-lines export of a store (`concord export --format jsonl`, `GET /api/export?format=jsonl`):
 *
 * - one line per event, in global order: `{"globalPosition", "streamId", "streamPosition", "id", "type",
 *   "data", "metadata", "recordedAt" (ISO-8601 UTC, milliseconds), "hash" (hex)}`;
 * - then, when the export starts at the beginning of the store, one line per stream in byte order of the
 *   stream ids: `{"streamHead": {"streamId", "version", "hash"}}`, the head the store recorded for it as of
 *   the last exported event (see `EventStore.streamHeads`).
 *
 * - last, when the export starts at the beginning and the store keeps a witnessed log (ADR 0009), one line
 *   `{"checkpoint": "<signed note>"}`: the newest checkpoint covering at most the exported events,
 *   preferably one that witnesses cosigned, so the file can be checked offline against it.
 *
 * The heads make a removed tail evident: without them, a stream whose last events were cut from the file
 * (or from the database) looks like a stream that ended there.
 */
export type ExportLine =
  | { event: RecordedEvent }
  | { streamHead: RecordedStreamHead }
  | { checkpoint: string };

/** A checkpoint as the export's last line (with its newline). */
export function checkpointJsonLine(note: string): string {
  return `${JSON.stringify({ checkpoint: note })}\n`;
}

/** A stream head as its export line (with its newline). */
export function streamHeadJsonLine(head: RecordedStreamHead): string {
  return `${JSON.stringify({ streamHead: { streamId: head.streamId, version: head.version, hash: head.hash } })}\n`;
}

function fail(lineNumber: number, reason: string): never {
  throw new Error(`export line ${lineNumber}: ${reason}`);
}

/** Parses one export line; throws on a line that is neither an event nor a stream head. */
export function parseExportLine(line: string, lineNumber = 0): ExportLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    fail(lineNumber, 'not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(lineNumber, 'not an object');
  const record = value as Record<string, unknown>;
  if ('checkpoint' in record) {
    if (typeof record.checkpoint !== 'string' || Object.keys(record).length !== 1)
      fail(lineNumber, 'a checkpoint line is {"checkpoint": "<signed note>"}');
    return { checkpoint: record.checkpoint };
  }
  if ('streamHead' in record) {
    const head = record.streamHead as Record<string, unknown> | null;
    if (
      typeof head?.streamId !== 'string' ||
      !Number.isSafeInteger(head.version) ||
      typeof head.hash !== 'string' ||
      !/^[0-9a-f]{64}$/.test(head.hash)
    ) {
      fail(lineNumber, 'a stream head needs streamId, version and a hex hash');
    }
    return { streamHead: { streamId: head.streamId, version: head.version as number, hash: head.hash } };
  }
  const recordedAt = typeof record.recordedAt === 'string' ? new Date(record.recordedAt) : undefined;
  if (
    typeof record.streamId !== 'string' ||
    typeof record.id !== 'string' ||
    typeof record.type !== 'string' ||
    typeof record.hash !== 'string' ||
    !Number.isSafeInteger(record.streamPosition) ||
    !Number.isSafeInteger(record.globalPosition) ||
    !recordedAt ||
    Number.isNaN(recordedAt.getTime()) ||
    !('data' in record)
  ) {
    fail(
      lineNumber,
      'an event needs globalPosition, streamId, streamPosition, id, type, data, recordedAt, hash',
    );
  }
  return {
    event: {
      globalPosition: record.globalPosition as number,
      streamId: record.streamId,
      streamPosition: record.streamPosition as number,
      id: record.id,
      type: record.type,
      data: record.data,
      metadata: (record.metadata ?? {}) as RecordedEvent['metadata'],
      recordedAt,
      hash: record.hash,
    },
  };
}

/** What `verifyExportLines` found: the chain check's result, and how many stream heads it compared. */
export type ExportVerifyResult = VerifyResult & {
  /** Stream head lines checked against the chains; 0 for an export without them (then a cut tail is not evident). */
  streamHeads: number;
  /** The signed checkpoint note of the export's last line, when it has one (not checked here). */
  checkpoint?: string;
};

/**
 * Verifies a JSON-lines export without the store: every event's hash chain, then every stream head line
 * against the end of its walked chain (a removed last event, a lowered version or a rewritten head hash is
 * named). Event lines must come before head lines. Empty lines are skipped.
 *
 * @param options.onEvent called with each event, in export order, once it has been read: e.g. to feed its
 *   hash to a witnessed log's tree and compare the root with a checkpoint, or its data to the effect check.
 */
export async function verifyExportLines(
  lines: AsyncIterable<string> | Iterable<string>,
  options: { hashesBindGlobalPosition?: boolean; onEvent?: (event: RecordedEvent) => void } = {},
): Promise<ExportVerifyResult> {
  const heads = new Map<string, { version: number; hash: string }>();
  let checkpoint: string | undefined;
  let lineNumber = 0;
  async function* events(): AsyncGenerator<RecordedEvent> {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const parsed = parseExportLine(line, lineNumber);
      if (checkpoint !== undefined) fail(lineNumber, 'a line after the checkpoint');
      if ('checkpoint' in parsed) {
        checkpoint = parsed.checkpoint;
        continue;
      }
      if ('streamHead' in parsed) {
        const { streamId, version, hash } = parsed.streamHead;
        if (heads.has(streamId)) fail(lineNumber, `a second head for stream ${streamId}`);
        heads.set(streamId, { version, hash });
        continue;
      }
      if (heads.size > 0) fail(lineNumber, 'an event after the stream heads');
      options.onEvent?.(parsed.event);
      yield parsed.event;
    }
  }
  const result = await verifyEvents(events(), () => (heads.size > 0 ? heads : undefined), {
    hashesBindGlobalPosition: options.hashesBindGlobalPosition,
  });
  return { ...result, streamHeads: heads.size, ...(checkpoint === undefined ? {} : { checkpoint }) };
}
