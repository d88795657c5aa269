import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import {
  type EventStore,
  type PostgresEventStore,
  type RecordedEvent,
  type VerifyResult,
  verifyEvents,
} from '@concord/event-store';
import { type Kysely, sql } from 'kysely';
import { eventFields } from './export.ts';
import { rebuild } from './projector/rebuild.ts';

/**
 * Concord's backup file (ADR 0010): one gzip-compressed file of JSON lines, the same for the embedded
 * database and for PostgreSQL, so a backup of one restores into the other.
 *
 * - a header: `{"kind":"header","backup":"concord","version":1,"createdAt","source","upTo"}`;
 * - every event up to `upTo` in global order, exactly as stored (the lossless export's fields, with
 *   `"kind":"event"`): positions, recording times and hashes are kept, so the restored history verifies
 *   to the same head digest;
 * - the rows of the people tables (`"kind":"row"`, `table`, `row`): accounts and pending one-time links,
 *   which are not history; sessions and idempotency records are not kept (people sign in again); and the
 *   attached documents (ADR 0025: their bytes as PostgreSQL's hex text, one row a line) and who uploaded
 *   them, which the events cite by hash;
 * - a trailer: `{"kind":"end","events","headPosition","headDigest","rows"}`. The head digest is
 *   `verify()`'s, computed while the events were written; a file without a trailer is incomplete.
 *
 * Read models are not in it: they are a pure function of the events and are rebuilt on restore.
 */
export const BACKUP_VERSION = 1;

/** Tables beside the events that a backup keeps, in the order they are restored. */
export const BACKUP_TABLES = [
  'auth.people',
  'auth.tokens',
  'api.attachments',
  'api.attachment_uploaders',
] as const;

/** Tables whose rows can be large (documents up to megabytes each): read one row at a time. */
const ROW_BY_ROW: Readonly<Record<string, string>> = { 'api.attachments': 'sha256' };

export interface BackupSummary {
  events: number;
  headPosition: number;
  headDigest: string;
  rows: number;
}

interface Header {
  kind: 'header';
  backup: 'concord';
  version: number;
  createdAt: string;
  source: string;
  upTo: number;
}

type Trailer = { kind: 'end' } & BackupSummary;

interface EventLine {
  kind: 'event';
  globalPosition: number;
  streamId: string;
  streamPosition: number;
  id: string;
  type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recordedAt: string;
  hash: string;
}

/**
 * The backup's lines, uncompressed: every event up to the store's head when it starts (later appends are
 * the next backup's), then the people tables. Nothing is held open for long: events below the head never
 * change, and no event below it can still arrive (ADR 0002), so reading them page by page is a
 * consistent copy while commands go on.
 */
export async function* backupLines(
  store: EventStore,
  db: Kysely<unknown>,
  options: { source: string; now?: Date; pageSize?: number },
): AsyncGenerator<string> {
  const upTo = await store.head();
  const header: Header = {
    kind: 'header',
    backup: 'concord',
    version: BACKUP_VERSION,
    createdAt: (options.now ?? new Date()).toISOString(),
    source: options.source,
    upTo,
  };
  yield `${JSON.stringify(header)}\n`;

  // verifyEvents walks the events page by page and computes the head digest as they go; each page's lines
  // are handed out here meanwhile, at most a few pages ahead of the reader (so memory stays bounded).
  const chunks: string[] = [];
  let wake: (() => void) | undefined;
  let drained: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  async function* events(): AsyncGenerator<RecordedEvent> {
    let after = 0;
    for (;;) {
      while (chunks.length >= 4) await new Promise<void>((resolve) => (drained = resolve));
      const page = (await store.readAll({ after, limit: options.pageSize ?? 2000 })).filter(
        (event) => event.globalPosition <= upTo,
      );
      if (page.length === 0) return;
      chunks.push(page.map(eventLine).join(''));
      signal();
      yield* page;
      after = page.at(-1)!.globalPosition;
      if (after >= upTo) return;
    }
  }
  let finished = false;
  const verification = verifyEvents(events()).finally(() => {
    finished = true;
    signal();
  });
  for (;;) {
    const chunk = chunks.shift();
    if (chunk !== undefined) {
      drained?.();
      drained = undefined;
      yield chunk;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  const result: VerifyResult = await verification;
  if (!result.ok) {
    throw new Error(
      `the store does not verify (${result.firstBad.problem} at ${result.firstBad.streamId}); not backed up`,
    );
  }

  let rows = 0;
  const line = (table: string, row: unknown) =>
    `${JSON.stringify({ kind: 'row', table, row: typeof row === 'string' ? JSON.parse(row) : row })}\n`;
  for (const table of BACKUP_TABLES) {
    const key = ROW_BY_ROW[table];
    if (key) {
      // The keys first, then each row: only one document is in memory at a time.
      const { rows: keys } = await sql<{ key: string }>`select ${sql.ref(key)} as key from ${sql.table(table)}
        order by 1`
        .execute(db)
        .catch(() => ({ rows: [] as { key: string }[] }));
      for (const { key: value } of keys) {
        const { rows: found } = await sql<{
          row: unknown;
        }>`select to_json(t) as row from ${sql.table(table)} t
          where ${sql.ref(key)} = ${value}`.execute(db);
        for (const { row } of found) {
          rows++;
          yield line(table, row);
        }
      }
      continue;
    }
    const { rows: found } = await sql<{ row: unknown }>`select to_json(t) as row from ${sql.table(table)} t`
      .execute(db)
      .catch(() => ({ rows: [] as { row: unknown }[] }));
    for (const { row } of found) {
      rows++;
      yield line(table, row);
    }
  }
  const trailer: Trailer = {
    kind: 'end',
    events: result.events,
    headPosition: result.events > 0 ? result.headPosition : 0,
    headDigest: result.headHash,
    rows,
  };
  yield `${JSON.stringify(trailer)}\n`;
}

function eventLine(event: RecordedEvent): string {
  const line: EventLine = { kind: 'event', ...eventFields(event) };
  return `${JSON.stringify(line)}\n`;
}

/** The backup, gzip-compressed, as a stream (for a file or an HTTP answer). */
export function backupStream(
  store: EventStore,
  db: Kysely<unknown>,
  options: { source: string; now?: Date },
): NodeJS.ReadableStream {
  const gzip = createGzip();
  (async () => {
    try {
      for await (const chunk of backupLines(store, db, options)) {
        if (!gzip.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
      }
      gzip.end();
    } catch (error) {
      gzip.destroy(error as Error);
    }
  })();
  return gzip;
}

/** A backup that cannot be restored: incomplete, malformed, or its history does not verify. */
export class BackupRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefusedError';
  }
}

type Line = Header | EventLine | Trailer | { kind: 'row'; table: string; row: Record<string, unknown> };

async function* readLines(path: string): AsyncGenerator<Line> {
  const input = createReadStream(path).pipe(createGunzip());
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let n = 0;
  try {
    for await (const text of lines) {
      n++;
      if (text === '') continue;
      try {
        yield JSON.parse(text) as Line;
      } catch {
        throw new BackupRefusedError(`line ${n} is not JSON`);
      }
    }
  } catch (error) {
    if (error instanceof BackupRefusedError) throw error;
    throw new BackupRefusedError(`the file cannot be read as a Concord backup: ${(error as Error).message}`);
  }
}

function toRecorded(line: EventLine): RecordedEvent {
  return {
    id: line.id,
    type: line.type,
    data: line.data,
    metadata: line.metadata,
    streamId: line.streamId,
    streamPosition: line.streamPosition,
    globalPosition: line.globalPosition,
    recordedAt: new Date(line.recordedAt),
    hash: line.hash,
  };
}

/**
 * Reads a backup through and checks it before anything is restored: a header, every event's hash chain
 * (`verifyEvents`), the head digest equal to the one recorded in the trailer, and the trailer's counts.
 * Throws `BackupRefusedError` naming the first problem.
 */
export async function verifyBackup(path: string): Promise<BackupSummary & { header: Header }> {
  let header: Header | undefined;
  let trailer: Trailer | undefined;
  let rows = 0;
  const lines = readLines(path);
  async function* events(): AsyncGenerator<RecordedEvent> {
    for await (const line of lines) {
      if (trailer) throw new BackupRefusedError('lines after the end of the backup');
      if (!header) {
        if (line.kind !== 'header' || line.backup !== 'concord')
          throw new BackupRefusedError('this is not a Concord backup (no header)');
        if (line.version !== BACKUP_VERSION)
          throw new BackupRefusedError(`backup version ${line.version} is not one this Concord reads`);
        header = line;
        continue;
      }
      if (line.kind === 'event') {
        if (rows > 0) throw new BackupRefusedError('an event after the people rows');
        yield toRecorded(line);
      } else if (line.kind === 'row') {
        if (!(BACKUP_TABLES as readonly string[]).includes(line.table))
          throw new BackupRefusedError(`rows of an unknown table ${line.table}`);
        rows++;
      } else if (line.kind === 'end') trailer = line;
      else throw new BackupRefusedError(`an unknown line kind "${(line as { kind: string }).kind}"`);
    }
  }
  const result = await verifyEvents(events());
  if (!header) throw new BackupRefusedError('this is not a Concord backup (empty)');
  if (!result.ok) {
    const bad = result.firstBad;
    throw new BackupRefusedError(
      `the history in the backup does not verify: ${bad.problem} at ${bad.streamId}#${bad.streamPosition} (${bad.detail})`,
    );
  }
  if (!trailer) throw new BackupRefusedError('the backup is incomplete: it has no end line');
  if (result.headHash !== trailer.headDigest || result.events !== trailer.events) {
    throw new BackupRefusedError(
      `the head digest of the events (${result.headHash}, ${result.events} events) is not the one recorded in the backup (${trailer.headDigest}, ${trailer.events} events)`,
    );
  }
  if (rows !== trailer.rows)
    throw new BackupRefusedError(`${rows} people rows, the end line says ${trailer.rows}`);
  return {
    header,
    events: result.events,
    headPosition: trailer.headPosition,
    headDigest: result.headHash,
    rows,
  };
}

/**
 * Restores a verified backup into an empty store: the events and stream heads exactly as they were, the
 * database's transaction counter moved past the last position (new appends must come after it, ADR 0002),
 * the people rows, in one transaction; then the read models rebuilt, and the result verified against the
 * recorded head digest. `migrateTables` creates the people tables (the API's migrations).
 */
export async function restoreBackup(options: {
  path: string;
  store: PostgresEventStore;
  db: Kysely<unknown>;
  migrateTables: (db: Kysely<unknown>) => Promise<void>;
  onProgress?: (done: number, total: number) => void;
}): Promise<BackupSummary> {
  const { path, store, db } = options;
  const summary = await verifyBackup(path);
  await store.migrate();
  await options.migrateTables(db);
  const schema = store.schema;
  const { rows: existing } = await sql<{
    n: number;
  }>`select count(*)::int as n from ${sql.table(`${schema}.events`)}`.execute(db);
  if ((existing[0]?.n ?? 0) > 0)
    throw new BackupRefusedError('the target already holds events: restore only into an empty one');

  await passTransactionId(db, summary.headPosition);
  await db.transaction().execute(async (tx) => {
    const heads = new Map<string, { version: number; hash: string }>();
    let batch: EventLine[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await sql`insert into ${sql.table(`${schema}.events`)}
        (global_position, stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash)
        select e."globalPosition", e."streamId", e."streamPosition", e.id::uuid, e.type, e.data, e.metadata,
          e."recordedAt"::timestamptz, decode(e.hash, 'hex')
        from json_to_recordset(${JSON.stringify(batch)}::json) as e("globalPosition" bigint, "streamId" text,
          "streamPosition" bigint, id text, type text, data json, metadata json, "recordedAt" text, hash text)`.execute(
        tx,
      );
      batch = [];
    };
    let done = 0;
    for await (const line of readLines(path)) {
      if (line.kind === 'event') {
        batch.push(line);
        heads.set(line.streamId, { version: line.streamPosition, hash: line.hash });
        if (batch.length >= 1000) {
          await flush();
          done += 1000;
          options.onProgress?.(done, summary.events);
        }
      } else if (line.kind === 'row') {
        await flush();
        await sql`insert into ${sql.table(line.table)} select * from json_populate_record(null::${sql.raw(line.table)}, ${JSON.stringify(line.row)}::json)`.execute(
          tx,
        );
      }
    }
    await flush();
    const streams = [...heads].map(([stream, head]) => ({ stream, version: head.version, hash: head.hash }));
    for (let i = 0; i < streams.length; i += 5000) {
      await sql`insert into ${sql.table(`${schema}.streams`)} (stream_id, version, head_hash)
        select s.stream, s.version, decode(s.hash, 'hex')
        from json_to_recordset(${JSON.stringify(streams.slice(i, i + 5000))}::json) as s(stream text, version bigint, hash text)`.execute(
        tx,
      );
    }
  });
  await rebuild({ db, store });
  const verified = await store.verify();
  if (!verified.ok || verified.headHash !== summary.headDigest) {
    throw new Error(
      `the restored store does not verify to the backup's head digest ${summary.headDigest}: ${JSON.stringify(verified)}`,
    );
  }
  return summary;
}

/**
 * Moves the database's transaction counter past the one that wrote `position` (positions are transaction
 * id × 1000 + n, ADR 0002), so the next append gets a larger position than every restored event. Each
 * subtransaction that writes takes the next transaction id; a fresh database needs as many as the
 * restored history's last transaction id.
 */
async function passTransactionId(db: Kysely<unknown>, position: number): Promise<void> {
  const target = Math.floor(position / 1000) + 1;
  for (;;) {
    // The snapshot's xmax is the next transaction id to be given out.
    const { rows } = await sql<{
      next: string;
    }>`select pg_snapshot_xmax(pg_current_snapshot())::text as next`.execute(db);
    const missing = target - Number(rows[0]!.next);
    if (missing <= 0) return;
    await sql
      .raw(`do $$ begin
  create temporary table if not exists concord_xid_burn (x int);
  for i in 1..${Math.min(missing, 50_000)} loop
    begin insert into concord_xid_burn values (i); exception when others then null; end;
  end loop;
  drop table concord_xid_burn;
end $$`)
      .execute(db);
  }
}
