import type { EventStore } from '@concord/event-store';
import type { Kysely } from 'kysely';
import { applyBatch, readCheckpoint } from './apply.ts';
import { EntityCache } from './unit-of-work.ts';

/**
 * Applies the events after a schema's checkpoint up to `until` (exactly, never past it), batch by batch,
 * through the same views as the projector. A replay check uses it to bring its scratch copy to the
 * position the live read models stopped at, so that the two are compared at the same point.
 */
export async function catchUpReadModels(options: {
  db: Kysely<unknown>;
  store: EventStore;
  schema: string;
  until: number;
  batchSize?: number;
}): Promise<number> {
  const { db, store, schema, until } = options;
  const batchSize = options.batchSize ?? 2000;
  const cache = new EntityCache(Math.max(20_000, batchSize * 5));
  let { position } = await readCheckpoint(db, schema);
  while (position < until) {
    const events = (await store.readAll({ after: position, limit: batchSize })).filter(
      (event) => event.globalPosition <= until,
    );
    if (events.length === 0) break;
    await applyBatch(events, { db, schema, cache, after: position });
    position = events[events.length - 1]!.globalPosition;
  }
  return position;
}
