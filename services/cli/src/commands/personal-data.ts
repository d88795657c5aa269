import { randomUUID } from 'node:crypto';
import {
  type DomainEvent,
  type EventType,
  eventSchemaVersions,
  historyDecider,
  isDomainError,
  personalDataVersions,
  streamIdFor,
  systemActor,
  upcast,
} from '@concord/domain';
import { PostgresEventStore, StreamNotFoundError } from '@concord/event-store';
import { sql } from 'kysely';
import type { Target } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Output } from '../io.ts';
import { rebuildAll } from './maintenance.ts';

const REASON =
  'People’s names taken out of events recorded before names were kept out of the history (personal data stays in the personal-data store, where it can be erased).';

/**
 * `concord migrate-personal-data`: rewrites the stored events of versions that carried people's names as
 * their current version (which carries ids only), re-chains their streams, records the rewrite in the
 * history (every changed event with its hashes before and after, and both head digests), rebuilds the
 * read models (the old audit sentences named people) and drops the witnessed log's tree so it is built
 * again from the new hashes. With the server stopped: the data folder's lock makes sure of it.
 */
export async function migratePersonalData(target: Target, out: Output, err: Output) {
  const { store } = target;
  if (!(store instanceof PostgresEventStore)) {
    throw new CliError(
      'migrate-personal-data rewrites PostgreSQL or embedded event stores only',
      EXIT.failed,
    );
  }
  const types = Object.keys(personalDataVersions) as EventType[];
  const report = await store.rewriteEvents({
    types,
    transform: (event) => {
      const version = Number(event.metadata.schemaVersion ?? 1);
      if (!personalDataVersions[event.type as EventType]?.includes(version)) return null;
      const current = upcast(event.type, version, event.data);
      return {
        data: current.data,
        metadata: { ...event.metadata, schemaVersion: eventSchemaVersions[current.type] },
      };
    },
  });
  if (report.rewritten.length === 0) {
    out.write('no stored event holds personal data: nothing to do\n');
    return EXIT.ok;
  }
  const streamId = streamIdFor.history();
  const history = await store.readStream(streamId).catch((error: unknown) => {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  });
  const state = history.reduce(
    (folded, event) => historyDecider.evolve(folded, { type: event.type, data: event.data } as never),
    historyDecider.initialState(),
  );
  const actor = systemActor('personal-data-migration');
  const commandId = randomUUID();
  const decided = historyDecider.decide(
    {
      type: 'RecordHistoryRewrite',
      actor,
      now: new Date().toISOString(),
      rewriteId: commandId,
      reason: REASON,
      rewritten: report.rewritten,
      previousHeadDigest: report.previousHeadDigest,
      headDigest: report.headDigest,
    },
    state,
  );
  if (isDomainError(decided)) throw new CliError(decided.message, EXIT.failed);
  await store.append(
    streamId,
    decided.map((event: DomainEvent) => ({
      id: randomUUID(),
      type: event.type,
      data: event.data,
      metadata: {
        commandId,
        commandType: 'RecordHistoryRewrite',
        correlationId: commandId,
        causationId: commandId,
        actor: { personId: actor.personId, organizationId: null, role: 'system' },
        schemaVersion: eventSchemaVersions[event.type],
      },
    })),
    { expectedVersion: history.length },
  );
  // The witnessed log's leaves were the old hashes: it is built again from the new ones.
  await sql`DROP SCHEMA IF EXISTS transparency CASCADE`.execute(target.db);
  out.write(
    `rewrote ${report.rewritten.length} stored events (${report.rewritten.length} hashes changed, names removed)\n` +
      `head digest before: ${report.previousHeadDigest}\nhead digest after:  ${report.headDigest}\n` +
      'recorded as HistoryRewritten in the history; tell your witnesses: checkpoints signed before it no longer extend\n',
  );
  return rebuildAll(target, out, err);
}
