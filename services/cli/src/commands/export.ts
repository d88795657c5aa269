import { once } from 'node:events';
import { exportTar } from '@concord/api/attachments';
import { checkpointJsonLine } from '@concord/event-store';
import { AUDIT_CSV_HEADER, exportAuditCsv, exportEventsJsonl, readModels } from '@concord/projections';
import { type Kysely, sql } from 'kysely';
import type { Target } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Output } from '../io.ts';
import type { Moment } from '../moment.ts';
import { documentsOf } from './verify.ts';

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function lines(
  target: Target,
  format: 'jsonl' | 'csv',
  range: { from?: Moment; to?: Moment },
  err: Output,
): Promise<AsyncGenerator<string[]>> {
  if (format === 'jsonl') return exportEventsJsonl(target.store, range);
  const views = readModels(target.db);
  const checkpoint = await views.checkpoint().catch(() => null);
  if (!checkpoint) {
    throw new CliError(
      'no read models to export the audit trail from (run `concord project` first)',
      EXIT.unavailable,
    );
  }
  const head = await target.store.head();
  if (head > checkpoint.position) {
    err.write(`note: the audit trail is at position ${checkpoint.position}; the store's head is ${head}\n`);
  }
  return exportAuditCsv(views, range);
}

/**
 * The newest checkpoint the server signed of at most `events` events, preferring one a witness cosigned
 * (as `GET /api/export` ends with); none where the database holds no witnessed log.
 */
async function checkpointFor(db: Kysely<unknown>, events: number): Promise<string | undefined> {
  try {
    const cosigned = await sql<{ note: string }>`
      SELECT c.note FROM transparency.checkpoints c
       WHERE c.size = (SELECT max(size) FROM api.log_cosignatures WHERE size <= ${events})`.execute(db);
    if (cosigned.rows[0]) return cosigned.rows[0].note;
  } catch {
    // No cosignatures table (an older server): the newest signed checkpoint will do.
  }
  try {
    const signed = await sql<{ note: string }>`
      SELECT note FROM transparency.checkpoints WHERE size <= ${events} ORDER BY size DESC LIMIT 1`.execute(
      db,
    );
    return signed.rows[0]?.note;
  } catch {
    return undefined;
  }
}

/** The JSON lines of a whole or partial export, ending with the checkpoint a whole one covers. */
async function* jsonlText(target: Target, options: { from?: Moment; to?: Moment }): AsyncGenerator<string> {
  let events = 0;
  for await (const page of exportEventsJsonl(target.store, options)) {
    events += page.filter((line) => !line.startsWith('{"streamHead"')).length;
    yield page.join('');
  }
  if (options.from === undefined && events > 0) {
    const note = await checkpointFor(target.db, events);
    if (note) yield checkpointJsonLine(note);
  }
}

/**
 * `concord export --format tar`: `events.jsonl` as `--format jsonl` writes it, with every document the
 * events cite (`attachments/<sha256>`): run with the database itself, so restricted documents too.
 */
async function exportWithDocuments(
  target: Target,
  options: { from?: Moment; to?: Moment },
  out: Output,
  err: Output,
) {
  const documents = await documentsOf(target);
  if (!documents) err.write('note: this database keeps no documents; the tar holds the events only\n');
  const tar = exportTar({
    lines: jsonlText(target, options),
    documents: documents as NonNullable<typeof documents>,
    mayRead: async () => documents !== undefined,
  });
  for await (const chunk of tar) {
    if (!out.write(chunk as Uint8Array)) await once(out, 'drain');
  }
  err.write('exported the events and their documents as a tar\n');
  return EXIT.ok;
}

/**
 * `concord export`: every event as JSON lines, exactly as stored (enough to verify and replay without
 * Concord's database), or the audit trail as CSV for spreadsheets.
 */
export async function exportEvents(
  target: Target,
  options: { format: 'jsonl' | 'csv' | 'tar'; from?: Moment; to?: Moment },
  out: Output,
  err: Output,
) {
  if (options.format === 'tar') return exportWithDocuments(target, options, out, err);
  const pages = await lines(target, options.format, options, err);
  if (options.format === 'csv') await write(out, AUDIT_CSV_HEADER);
  let count = 0;
  let events = 0;
  for await (const page of pages) {
    count += page.length;
    if (options.format === 'jsonl') events += page.filter((line) => !line.startsWith('{"streamHead"')).length;
    await write(out, page.join(''));
  }
  // A whole export ends with the newest checkpoint it covers (docs/verification.md §1.6).
  if (options.format === 'jsonl' && options.from === undefined && events > 0) {
    const note = await checkpointFor(target.db, events);
    if (note) await write(out, checkpointJsonLine(note));
  }
  err.write(`exported ${count} ${options.format === 'jsonl' ? 'events' : 'audit entries'}\n`);
  return EXIT.ok;
}
