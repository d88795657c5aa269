import type { EventStore } from '@concord/event-store';
import type { World } from '@concord/generator';
import type { Kysely } from 'kysely';
import { type AppliedBatch, Projector } from '../../src/index.ts';

/** Appends what `world` recorded to `store`, stream by stream, each at the version it expects. */
export async function appendRecorded(store: EventStore, world: World): Promise<void> {
  for (const { streamId, events, expectedVersion } of world.drain(0)) {
    await store.append(streamId, events, { expectedVersion });
  }
}

/**
 * A projector into `db` (batches of `batchSize`, each shown to `onBatch`) that has projected everything
 * `store` holds now, and goes on following it.
 */
export async function projectedAll(
  db: Kysely<unknown>,
  store: EventStore,
  batchSize: number,
  onBatch?: (batch: AppliedBatch) => void,
): Promise<Projector> {
  const projector = new Projector({ db, store, batchSize });
  if (onBatch) projector.onBatch(onBatch);
  await projector.start();
  await projector.waitFor(await store.head(), 60_000);
  return projector;
}
