import { openEventStoreDbEventStore } from './eventstoredb/store.ts';
import { openPostgresEventStore } from './postgres/open.ts';
import type { EventStore } from './types.ts';

/** The adapter a connection URL names, by its scheme; null for a scheme no adapter takes. */
export function eventStoreKind(url: string): 'postgres' | 'eventstoredb' | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return 'postgres';
  if (scheme && /^(esdb|kurrent|kurrentdb)(\+discover)?$/.test(scheme)) return 'eventstoredb';
  return null;
}

/**
 * Opens the event store a URL names (`EVENTSTORE_URL`): `postgres://…` the PostgreSQL adapter (migrated,
 * schema `eventstore`), `esdb://…`, `kurrentdb://…` (and their `+discover` forms) EventStoreDB/KurrentDB.
 * The store owns its connections: `close()` ends them.
 * @throws RangeError for any other scheme (the message does not repeat the URL, which may hold a password).
 */
export async function openEventStoreUrl(url: string): Promise<EventStore> {
  switch (eventStoreKind(url)) {
    case 'postgres':
      return openPostgresEventStore(url);
    case 'eventstoredb':
      return openEventStoreDbEventStore(url);
    default:
      throw new RangeError(
        'EVENTSTORE_URL must start with postgres:// (or postgresql://), esdb:// or kurrentdb://',
      );
  }
}
