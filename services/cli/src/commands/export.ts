import { once } from 'node:events';
import { AUDIT_CSV_HEADER, exportAuditCsv, exportEventsJsonl, readModels } from '@concord/projections';
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
  for await (const page of pages) {
    count += page.length;
    await write(out, page.join(''));
  }
  process.stderr.write(`exported ${count} ${options.format === 'jsonl' ? 'events' : 'audit entries'}\n`);
  return EXIT.ok;
}
