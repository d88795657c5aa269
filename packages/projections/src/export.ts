import { type EventStore, type RecordedEvent, streamHeadJsonLine } from '@concord/event-store';
import type { AsOf } from './as-of.ts';
import type { AuditFilter, ReadModels } from './queries/read-models.ts';
import type { AuditEntry } from './read-models/audit/schema.ts';

/** Where an export starts and ends (both inclusive): a global position or a recording time. */
export interface ExportRange {
  from?: AsOf;
  to?: AsOf;
}

/** The columns of the audit-trail CSV, in order (`concord export --format csv`, `GET /api/export`). */
export const AUDIT_CSV_COLUMNS = [
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
  'actor_name',
] as const;

/**
 * What an export says in its `actor_name` column when it names nobody: exports for outside auditors are
 * pseudonymous by default (person ids and organization names only), and say so on every row.
 */
export const PSEUDONYMOUS = '(pseudonymous export)';

/**
 * The names an export may give: null for a pseudonymous export; otherwise each person id's name from the
 * personal-data store (a person it does not know, e.g. forgotten, gets an empty cell).
 */
export type ExportNames = ReadonlyMap<string, string> | null;

/**
 * One CSV field (RFC 4180), defused for spreadsheets: text starting with = + - @ (a formula to Excel or
 * LibreOffice) is prefixed with '. A summary quotes what members wrote, so it is untrusted text.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One audit-trail entry as a CSV line (with its CRLF); `names` as in `ExportNames`. */
export function auditCsvLine(entry: AuditEntry, names: ExportNames = null): string {
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
    names === null ? PSEUDONYMOUS : entry.actor.personId ? (names.get(entry.actor.personId) ?? null) : null,
  ];
  return `${values.map(csvField).join(',')}\r\n`;
}

/** One stored event's fields as they are written out: everything `verifyEvents` and a replay need. */
export function eventFields(event: RecordedEvent) {
  return {
    globalPosition: event.globalPosition,
    streamId: event.streamId,
    streamPosition: event.streamPosition,
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
    hash: event.hash,
  };
}

/** One stored event as a JSON line: everything `verifyEvents` and a replay need, nothing reformatted. */
export function eventJsonLine(event: RecordedEvent): string {
  return `${JSON.stringify(eventFields(event))}\n`;
}

function startsBy(event: RecordedEvent, from: AsOf | undefined): boolean {
  if (!from) return true;
  return 'position' in from
    ? event.globalPosition >= from.position
    : event.recordedAt.getTime() >= from.time.getTime();
}

function endedBy(event: RecordedEvent, to: AsOf | undefined): boolean {
  if (!to) return false;
  return 'position' in to
    ? event.globalPosition > to.position
    : event.recordedAt.getTime() > to.time.getTime();
}

const PAGE = 5000;

/**
 * Every stored event in the range as JSON lines, a page of lines at a time (lossless: data, metadata
 * and hashes as stored, so the export verifies and replays without Concord's database). Only a page is
 * held in memory. An export from the beginning (no `from`) ends with every stream's recorded head as of
 * its last event (`streamHeadJsonLine`), so a stream's removed tail is evident (`verifyExportLines`).
 */
export async function* exportEventsJsonl(
  store: EventStore,
  range: ExportRange = {},
): AsyncGenerator<string[]> {
  const withHeads = range.from === undefined;
  // A store without recorded heads: the heads of the exported chains, so a cut file is still evident.
  const seen = withHeads && !store.streamHeads ? new Map<string, { version: number; hash: string }>() : null;
  let last = 0;
  let after = range.from && 'position' in range.from ? Math.max(0, range.from.position - 1) : 0;
  pages: for (;;) {
    const page = await store.readAll({ after, limit: PAGE });
    const lines: string[] = [];
    for (const event of page) {
      if (endedBy(event, range.to)) {
        if (lines.length) yield lines;
        break pages;
      }
      if (startsBy(event, range.from)) {
        lines.push(eventJsonLine(event));
        last = event.globalPosition;
        seen?.set(event.streamId, { version: event.streamPosition, hash: event.hash });
      }
    }
    if (lines.length) yield lines;
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.globalPosition;
  }
  if (!withHeads || last === 0) return;
  const heads: AsyncIterable<{ streamId: string; version: number; hash: string }> = seen
    ? (async function* () {
        for (const [streamId, head] of [...seen].sort(([a], [b]) =>
          Buffer.compare(Buffer.from(a), Buffer.from(b)),
        )) {
          yield { streamId, ...head };
        }
      })()
    : store.streamHeads!(last);
  let lines: string[] = [];
  for await (const head of heads) {
    lines.push(streamHeadJsonLine(head));
    if (lines.length === PAGE) {
      yield lines;
      lines = [];
    }
  }
  if (lines.length) yield lines;
}

/** The audit-trail filters an export takes (its range is given as `ExportRange`). */
export type AuditExportFilter = Omit<AuditFilter, 'from' | 'to' | 'after' | 'limit'>;

/** The header line of the audit-trail CSV. */
export const AUDIT_CSV_HEADER = `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;

/**
 * The audit trail (from the read models) in the range and matching `filter`, as CSV lines (without the
 * header, `AUDIT_CSV_HEADER`), a page at a time.
 */
export async function* exportAuditCsv(
  models: ReadModels,
  range: ExportRange = {},
  filter: AuditExportFilter = {},
  names: ExportNames = null,
): AsyncGenerator<string[]> {
  const { from, to } = range;
  let after = from && 'position' in from ? Math.max(0, from.position - 1) : undefined;
  for (;;) {
    const page = await models.auditTrail({
      ...filter,
      after,
      limit: 1000,
      from: from && 'time' in from ? from.time.toISOString() : undefined,
      to: to && 'time' in to ? to.time.toISOString() : undefined,
    });
    const lines: string[] = [];
    for (const entry of page.entries) {
      if (to && 'position' in to && entry.position > to.position) {
        if (lines.length) yield lines;
        return;
      }
      lines.push(auditCsvLine(entry, names));
    }
    if (lines.length) yield lines;
    if (page.next === null) return;
    after = page.next;
  }
}
