import { once } from 'node:events';
import { checkpointJsonLine } from '@concord/event-store';
import { AUDIT_CSV_HEADER, exportAuditCsv, exportEventsJsonl, readModels } from '@concord/projections';
import { type Kysely, sql } from 'kysely';
import type { Target } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Moment } from '../moment.ts';

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

async function lines(
  target: Target,
  format: 'jsonl' | 'csv',
  range: { from?: Moment; to?: Moment },
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
    process.stderr.write(
      `note: the audit trail is at position ${checkpoint.position}; the store's head is ${head}\n`,
    );
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

/**
 * `concord export`: every event as JSON lines, exactly as stored (enough to verify and replay without
 * Concord's database), or the audit trail as CSV for spreadsheets.
 */
export async function exportEvents(
  target: Target,
  options: { format: 'jsonl' | 'csv'; from?: Moment; to?: Moment },
  out: NodeJS.WritableStream,
) {
  const pages = await lines(target, options.format, options);
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
  process.stderr.write(`exported ${count} ${options.format === 'jsonl' ? 'events' : 'audit entries'}\n`);
  return EXIT.ok;
}
