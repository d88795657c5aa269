// Exports of the audit trail for auditors, in the CLI's formats (`concord export`): CSV with the CLI's
// columns, and JSON lines of the trail's entries. Streamed page by page from `GET /api/audit`, with the
// filters of the page, so a large history never sits in memory.
// (The CLI's JSONL holds the raw events with their data and metadata; the API has no route for those
// yet, so this JSONL holds the trail entries: position, ids, type, actor, summary, hash.)
import { error, type RequestEvent } from '@sveltejs/kit';
import { eventTypes } from '$lib/event-types';
import { type Reply, read } from './api';

type Entry = Reply<'auditTrail'>['entries'][number];

const columns = [
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

/** One CSV field (RFC 4180), defused for spreadsheets like the CLI's: text starting with = + - @ gets a '. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(entry: Entry): string {
  const body = entry.body ? (entry.body.type === 'coalition' ? 'coalition' : entry.body.groupId) : null;
  const values: Record<(typeof columns)[number], unknown> = {
    position: entry.position,
    recorded_at: entry.recordedAt,
    occurred_at: entry.occurredAt,
    type: entry.type,
    actor_person_id: entry.actor.personId,
    actor_organization_id: entry.actor.organizationId,
    actor_role: entry.actor.role,
    organization_id: entry.organizationId,
    body,
    proposal_id: entry.proposalId,
    budget_id: entry.budgetId,
    line_id: entry.lineId,
    group_id: entry.groupId,
    grant_call_id: entry.grantCallId,
    summary: entry.summary,
    stream_id: entry.streamId,
    stream_position: entry.streamPosition,
    event_id: entry.eventId,
    hash: entry.hash,
  };
  return `${columns.map((column) => csvField(values[column])).join(',')}\r\n`;
}

function filtersOf(url: URL) {
  const search = url.searchParams;
  const type = search.get('type');
  const pick = (name: string) => search.get(name) || undefined;
  return {
    actor: pick('actor'),
    organization: pick('organization'),
    body: pick('body'),
    proposal: pick('proposal'),
    line: pick('line'),
    type: eventTypes.find((candidate) => candidate === type),
    from: pick('from'),
    to: pick('to'),
  };
}

export function exportTrail(format: 'csv' | 'jsonl') {
  return async ({ fetch, url, locals }: Pick<RequestEvent, 'fetch' | 'url' | 'locals'>) => {
    if (!locals.person) error(401, 'unauthenticated');
    const filters = filtersOf(url);
    const encoder = new TextEncoder();
    let after: number | undefined;
    let started = false;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started && format === 'csv') controller.enqueue(encoder.encode(`${columns.join(',')}\r\n`));
        started = true;
        const page = await read(fetch, 'auditTrail', {}, { ...filters, after, limit: 1000 });
        const text = page.entries
          .map((entry) => (format === 'csv' ? csvRow(entry) : `${JSON.stringify(entry)}\n`))
          .join('');
        if (text) controller.enqueue(encoder.encode(text));
        if (page.next === null || page.entries.length === 0) controller.close();
        else after = page.next;
      },
    });
    const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
    return new Response(stream, {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="concord-audit-${stamp}.${format}"`,
        'cache-control': 'no-store',
      },
    });
  };
}
