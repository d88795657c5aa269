import { type CheckpointRow, checkpoints } from '../schema/tables.ts';
import type { QueryContext } from './query-context.ts';

/** How far the projector is: the last applied global position and how many events it applied. */
export interface CheckpointView {
  position: number;
  events: number;
  updatedAt: string;
}

/** The checkpoint's part of `ReadModels`. */
export interface CheckpointQueries {
  checkpoint(): Promise<CheckpointView | null>;
}

/** The projector's checkpoint (not a read model of its own: every view moves with it). */
export function checkpointQueries({ q, first }: QueryContext): CheckpointQueries {
  return {
    async checkpoint() {
      const normalized = await first<CheckpointRow>(
        checkpoints,
        q.selectFrom('checkpoints').selectAll().where('name', '=', 'projector'),
      );
      if (!normalized) return null;
      return { position: normalized.position, events: normalized.events, updatedAt: normalized.updated_at };
    },
  };
}
