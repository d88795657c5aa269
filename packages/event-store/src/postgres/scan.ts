import { type Kysely, sql } from 'kysely';
import type { ScanOptions, StoredEventPage, StoredEventText } from '../types.ts';
import { copyOut } from './copy.ts';
import { Accumulator, driverOf, pgliteExclusive } from './driver.ts';
import { pgliteCopyOut } from './pglite-copy.ts';

const COLUMNS =
  'global_position, stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash';
const SIGNATURE = 'PGCOPY\n\xff\r\n\0';
const TWO_32 = 4294967296;
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch for binary timestamps, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;

class ArrayPage implements StoredEventPage {
  constructor(readonly events: StoredEventText[]) {}
  get length() {
    return this.events.length;
  }
  get firstPosition() {
    return this.events[0]?.globalPosition ?? 0;
  }
  get lastPosition() {
    return this.events[this.events.length - 1]?.globalPosition ?? 0;
  }
  forEach(callback: (event: StoredEventText) => void, from = 0, to = this.events.length): void {
    for (const event of this.events.slice(from, to)) callback(event);
  }
}

/**
 * `COPY (SELECT ${COLUMNS} …) TO … (FORMAT binary)` output: no text formatting or escaping on either side,
 * and the JSON columns arrive as the exact text stored.
 */
class BinaryPage implements StoredEventPage {
  readonly length: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
  /** Where each event's row starts in `bytes`. */
  readonly #offsets: Uint32Array;

  constructor(readonly bytes: Buffer) {
    if (bytes.length < 19 || bytes.toString('latin1', 0, 11) !== SIGNATURE) {
      throw new Error('Not PostgreSQL binary COPY output');
    }
    // One pass over the lengths only: where each event starts, and the positions the next page starts from.
    let o = 19 + bytes.readUInt32BE(15);
    let length = 0;
    let first = 0;
    let last = 0;
    const offsets: number[] = [];
    for (;;) {
      const fields = bytes.readInt16BE(o);
      if (fields === -1) break;
      offsets.push(o);
      if (fields !== 9) throw new Error(`Expected 9 columns per event, got ${fields}`);
      last = bytes.readInt32BE(o + 6) * TWO_32 + bytes.readUInt32BE(o + 10);
      if (length === 0) first = last;
      o += 2;
      for (let i = 0; i < 9; i++) o += 4 + Math.max(0, bytes.readInt32BE(o));
      length++;
    }
    this.length = length;
    this.#offsets = Uint32Array.from(offsets);
    this.firstPosition = first;
    this.lastPosition = last;
  }

  forEach(callback: (event: StoredEventText) => void, from = 0, to = this.length): void {
    const bytes = this.bytes;
    const start = Math.max(0, from);
    const end = Math.min(to, this.length);
    let o = this.#offsets[start] ?? 0;
    let lastMs = Number.NaN;
    let lastIso = '';
    const int8 = () => {
      const value = bytes.readInt32BE(o + 4) * TWO_32 + bytes.readUInt32BE(o + 8);
      o += 12;
      return value;
    };
    const text = () => {
      const length = bytes.readInt32BE(o);
      const value = bytes.toString('utf8', o + 4, o + 4 + length);
      o += 4 + length;
      return value;
    };
    for (let n = start; n < end; n++) {
      o += 2;
      const globalPosition = int8();
      const streamId = text();
      const streamPosition = int8();
      const uuid = bytes.toString('hex', o + 4, o + 20);
      o += 20;
      const type = text();
      const data = text();
      const metadata = text();
      const recordedAtMs = Math.floor(int8() / 1000) + PG_EPOCH_MS;
      if (recordedAtMs !== lastMs) {
        lastMs = recordedAtMs;
        lastIso = new Date(recordedAtMs).toISOString();
      }
      const hashLength = bytes.readInt32BE(o);
      const hash = bytes.toString('hex', o + 4, o + 4 + hashLength);
      o += 4 + hashLength;
      callback({
        globalPosition,
        streamId,
        streamPosition,
        id: `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20)}`,
        type,
        data,
        metadata,
        recordedAtMs,
        recordedAt: lastIso,
        hash,
      });
    }
  }
}

function assertPosition(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number ≥ 0`);
}

/**
 * Reads stored events in global order in large pages for bulk readers (a rebuild of the read models):
 * keyset pages on the primary key, each one `COPY … (FORMAT binary)` on the driver when it is known (else a
 * plain query), the next page read while the caller handles the current one. No safe-horizon check per
 * page: the caller passes an `until` that `head()` or `readAll` returned, below which nothing can commit late.
 */
export async function* scanEvents(
  db: Kysely<unknown>,
  schema: string,
  options: ScanOptions,
): AsyncGenerator<StoredEventPage> {
  const { until } = options;
  const pageSize = options.pageSize ?? 20_000;
  let after = options.after ?? 0;
  assertPosition('after', after);
  assertPosition('until', until);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new Error('pageSize must be a whole number ≥ 1');
  // `+ 0` keeps the bound out of the index condition: the planner cannot mistake the range for a small one
  // and sort it (see readAll); the scan stops at the page size.
  const select = (from: number) =>
    `SELECT ${COLUMNS} FROM "${schema}".events WHERE global_position > ${from} AND global_position + 0 <= ${until} ORDER BY global_position LIMIT ${pageSize}`;
  const driver = driverOf(db);
  // Two receive buffers for binary pages, taken in turn: the caller goes through one page while the next
  // one arrives.
  const buffers = [new Accumulator(), new Accumulator()];
  let turn = 0;
  const nextBuffer = () => buffers[turn++ % 2]!;
  let fetchPage: (from: number) => Promise<StoredEventPage>;
  let release = () => {};
  if (driver?.kind === 'pg') {
    const client = await driver.pool.connect();
    let broken: Error | undefined;
    release = () => client.release(broken);
    fetchPage = async (from) => {
      try {
        return new BinaryPage(
          await copyOut(client, `COPY (${select(from)}) TO STDOUT (FORMAT binary)`, nextBuffer()),
        );
      } catch (error) {
        broken = error as Error;
        throw error;
      }
    };
  } else if (driver?.kind === 'pglite') {
    const { pglite } = driver;
    fetchPage = async (from) => {
      const received = nextBuffer();
      return new BinaryPage(
        await pgliteExclusive(db, () =>
          pgliteCopyOut(pglite, `COPY (${select(from)}) TO STDOUT (FORMAT binary)`, received),
        ),
      );
    };
  } else {
    fetchPage = async (from) => {
      const { rows } = await sql<{
        global_position: string | number;
        stream_id: string;
        stream_position: string | number;
        event_id: string;
        type: string;
        data: string;
        metadata: string;
        recorded_at: Date | string;
        hash: string;
      }>`SELECT global_position, stream_id, stream_position, event_id::text AS event_id, type, data::text AS data,
        metadata::text AS metadata, recorded_at, encode(hash, 'hex') AS hash
        FROM ${sql.table(`${schema}.events`)} WHERE global_position > ${from} AND global_position + 0 <= ${until}
        ORDER BY global_position LIMIT ${pageSize}`.execute(db);
      const events = rows.map((row): StoredEventText => {
        const recordedAt = new Date(row.recorded_at);
        return {
          globalPosition: Number(row.global_position),
          streamId: row.stream_id,
          streamPosition: Number(row.stream_position),
          id: row.event_id,
          type: row.type,
          data: row.data,
          metadata: row.metadata,
          recordedAtMs: recordedAt.getTime(),
          recordedAt: recordedAt.toISOString(),
          hash: row.hash,
        };
      });
      return new ArrayPage(events);
    };
  }
  let next: Promise<StoredEventPage> | null = after < until ? fetchPage(after) : null;
  try {
    while (next) {
      const page: StoredEventPage = await next;
      next = null;
      if (page.length === 0) return;
      after = page.lastPosition;
      if (page.length === pageSize && after < until) {
        next = fetchPage(after);
        next.catch(() => {});
      }
      yield page;
    }
  } finally {
    // A page read ahead when the caller stopped early finishes before the connection goes back to the pool.
    await next?.catch(() => {});
    release();
  }
}
