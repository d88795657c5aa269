import { once } from 'node:events';
import { readModels } from '@concord/projections';
import type { Target } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Moment } from '../moment.ts';

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function within(position: number, recordedAt: Date, from: Moment | undefined, to: Moment | undefined) {
  const after = (m: Moment) =>
    'position' in m ? position >= m.position : recordedAt.getTime() >= m.time.getTime();
  const before = (m: Moment) =>
    'position' in m ? position <= m.position : recordedAt.getTime() <= m.time.getTime();
  return { started: !from || after(from), ended: !!to && !before(to) };
}

/**
 * Every event as one JSON object per line, exactly as stored: positions, ids, type, data, metadata,
 * recording time and hash. Enough to verify (`verifyEvents`) and replay without Concord's database.
 */
async function exportJsonl(
  target: Target,
  from: Moment | undefined,
  to: Moment | undefined,
  out: NodeJS.WritableStream,
) {
  let after = from && 'position' in from ? Math.max(0, from.position - 1) : 0;
  let count = 0;
  for (;;) {
    const page = await target.store.readAll({ after, limit: 5000 });
    for (const event of page) {
      const { started, ended } = within(event.globalPosition, event.recordedAt, from, to);
      if (ended) return count;
      if (!started) continue;
      count++;
      await write(
        out,
        `${JSON.stringify({
          globalPosition: event.globalPosition,
          streamId: event.streamId,
          streamPosition: event.streamPosition,
          id: event.id,
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          recordedAt: event.recordedAt.toISOString(),
          hash: event.hash,
        })}\n`,
      );
    }
    if (page.length < 5000) return count;
    after = page[page.length - 1]!.globalPosition;
  }
}

const CSV_COLUMNS = [
  'position',
  'recorded_at',
  'occurred_at',
  'type',
  'actor_person_id',
  'actor_organization_id',
  'actor_role',
  'organization_id',
  'body',
  'proposal_id',
  'budget_id',
  'line_id',
  'group_id',
  'grant_call_id',
  'summary',
  'stream_id',
  'stream_position',
  'event_id',
  'hash',
] as const;

/** One CSV field (RFC 4180), defused for spreadsheets: text starting with = + - @ is prefixed with '. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The audit trail (from the read models) as CSV for spreadsheets. */
async function exportCsv(
  target: Target,
  from: Moment | undefined,
  to: Moment | undefined,
  out: NodeJS.WritableStream,
) {
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
  await write(out, `${CSV_COLUMNS.join(',')}\n`);
  let after = from && 'position' in from ? Math.max(0, from.position - 1) : undefined;
  let count = 0;
  for (;;) {
    const page = await views.auditTrail({
      after,
      limit: 1000,
      from: from && 'time' in from ? from.time.toISOString() : undefined,
      to: to && 'time' in to ? to.time.toISOString() : undefined,
    });
    for (const entry of page.entries) {
      if (to && 'position' in to && entry.position > to.position) return count;
      count++;
      const body = entry.body
        ? entry.body.type === 'coalition'
          ? 'coalition'
          : `workingGroup:${entry.body.groupId}`
        : null;
      const values = [
        entry.position,
        entry.recordedAt,
        entry.occurredAt,
        entry.type,
        entry.actor.personId,
        entry.actor.organizationId,
        entry.actor.role,
        entry.organizationId,
        body,
        entry.proposalId,
        entry.budgetId,
        entry.lineId,
        entry.groupId,
        entry.grantCallId,
        entry.summary,
        entry.streamId,
        entry.streamPosition,
        entry.eventId,
        entry.hash,
      ];
      await write(out, `${values.map(csvField).join(',')}\n`);
    }
    if (page.next === null) return count;
    after = page.next;
  }
}

export async function exportEvents(
  target: Target,
  options: { format: 'jsonl' | 'csv'; from?: Moment; to?: Moment },
  out: NodeJS.WritableStream,
) {
  const count =
    options.format === 'jsonl'
      ? await exportJsonl(target, options.from, options.to, out)
      : await exportCsv(target, options.from, options.to, out);
  process.stderr.write(`exported ${count} ${options.format === 'jsonl' ? 'events' : 'audit entries'}\n`);
  return EXIT.ok;
}
