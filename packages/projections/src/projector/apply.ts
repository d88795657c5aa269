import type { RecordedEvent } from '@concord/event-store';
import type { Kysely } from 'kysely';
import { auditView } from '../read-models/audit/projection.ts';
import { toAuditEntry } from '../read-models/audit/queries.ts';
import type { AuditEntry } from '../read-models/audit/schema.ts';
import { type AuditRow, auditTrail } from '../read-models/audit/table.ts';
import { type View, type ViewChange, viewChangeKey } from '../read-models/view.ts';
import { views } from '../read-models/views.ts';
import { checkpoints } from '../schema/tables.ts';
import { decode } from './decode.ts';
import { qualified, run } from './sql.ts';
import { type EntityCache, UnitOfWork } from './unit-of-work.ts';

/** The views that handle each event type, in order (the audit trail handles every event, last). */
const viewsByType = new Map<string, View[]>();
for (const view of views) {
  for (const type of view.types) viewsByType.set(type, [...(viewsByType.get(type) ?? []), view]);
}
const NONE: View[] = [];

/** The views that handle events of `type`, in order (the audit trail, which handles every event, aside). */
export function viewsFor(type: string): readonly View[] {
  return viewsByType.get(type) ?? NONE;
}

/** The projector's checkpoint row in the read-model schema. */
export const CHECKPOINT = 'projector';

/** What one committed batch did: the events, their audit rows and what changed in which view. */
export interface AppliedBatch {
  events: RecordedEvent[];
  audit: AuditEntry[];
  changes: ViewChange[];
}

/** Another writer moved the checkpoint (a rebuild was swapped in, or a second projector ran). */
export class CheckpointMovedError extends Error {
  constructor(
    readonly expected: number,
    readonly found: number,
  ) {
    super(`The checkpoint moved: expected ${expected}, found ${found}`);
  }
}

export interface Checkpoint {
  position: number;
  events: number;
}

/** Reads the checkpoint, creating it at 0 when the schema is new. */
export async function readCheckpoint(db: Kysely<unknown>, schema: string): Promise<Checkpoint> {
  const table = qualified(schema, checkpoints.name);
  await run(
    db,
    `INSERT INTO ${table} (name, position, events, updated_at) VALUES ($1, 0, 0, now()) ON CONFLICT DO NOTHING`,
    [CHECKPOINT],
  );
  const { rows } = await run<{ position: string | number; events: string | number }>(
    db,
    `SELECT position, events FROM ${table} WHERE name = $1`,
    [CHECKPOINT],
  );
  return { position: Number(rows[0]!.position), events: Number(rows[0]!.events) };
}

export interface ApplyOptions {
  db: Kysely<unknown>;
  schema: string;
  cache: EntityCache;
  /** The checkpoint the batch follows; the batch is refused if the stored one differs when it commits. */
  after: number;
  /** Validate current-version events against the domain's schemas too (older ones always are). */
  validate?: boolean;
  /** Commit without waiting for the WAL flush: a crash may lose the last batches, never half of one. */
  asynchronousCommit?: boolean;
}

/** A batch applied in memory, with the statements that write it: ready to commit. */
export interface PreparedBatch {
  events: readonly RecordedEvent[];
  after: number;
  writes: ReturnType<UnitOfWork['writes']>;
  audit: AuditRow[];
  changes: ViewChange[];
}

/**
 * Applies a batch of events to every view in memory. Rows the batch reads and the cache does not hold
 * are loaded first (one query per table); they cannot be rows a batch still committing wrote, since
 * those are cached. So the next batch can be prepared while the previous one commits.
 */
export async function prepareBatch(
  events: readonly RecordedEvent[],
  options: ApplyOptions,
): Promise<PreparedBatch> {
  const { db, schema, cache, after } = options;
  try {
    const decoded = events.map((event) => decode(event, options.validate));
    const uow = new UnitOfWork(schema, cache);
    for (const event of decoded) {
      for (const view of viewsByType.get(event.recorded.type) ?? NONE) view.needs(event, uow);
      auditView.needs(event, uow);
    }
    await uow.load(db);
    const changes = new Map<string, ViewChange>();
    const context = {
      uow,
      change(change: ViewChange) {
        changes.set(viewChangeKey(change), change);
      },
    };
    const audit: AuditRow[] = [];
    for (const event of decoded) {
      for (const view of viewsByType.get(event.recorded.type) ?? NONE) view.apply(event, context);
      audit.push(auditView.rowOf(event, uow));
    }
    for (const view of views) view.finish?.(uow);
    for (const row of audit) uow.append(auditTrail, row);
    return { events, after, writes: uow.writes(), audit, changes: [...changes.values()] };
  } catch (error) {
    cache.clear();
    throw error;
  }
}

/**
 * Writes a prepared batch and moves the checkpoint atomically: all of the batch's writes and the
 * checkpoint update are one SQL statement (data-modifying CTEs), so one round trip, and either all of it
 * is stored or none. The statement fails, storing nothing, unless the stored checkpoint is the one the
 * batch follows (a concurrent writer waits on the checkpoint row, then finds it moved).
 */
export async function commitBatch(
  prepared: PreparedBatch,
  options: Pick<ApplyOptions, 'db' | 'schema' | 'cache' | 'asynchronousCommit'>,
): Promise<AppliedBatch> {
  const { db, schema, cache } = options;
  const { events, after, writes } = prepared;
  const table = qualified(schema, checkpoints.name);
  const parameters = [...writes.parameters];
  const parameter = (value: unknown) => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  const name = parameter(CHECKPOINT);
  const expected = parameter(after);
  const parts = writes.parts.map((part, i) => `w${i} AS (${part} RETURNING 1)`);
  parts.push(
    `checkpoint AS (UPDATE ${table} SET position = ${parameter(events[events.length - 1]!.globalPosition)}, events = events + ${parameter(events.length)}, updated_at = now() WHERE name = ${name} AND position = ${expected} RETURNING position)`,
  );
  if (options.asynchronousCommit)
    parts.push(`settings AS (SELECT set_config('synchronous_commit', 'off', true) AS value)`);
  // Failing the cast aborts the whole statement when the checkpoint row did not match.
  const text = `WITH ${parts.join(',\n')}
SELECT CASE WHEN EXISTS (SELECT 1 FROM checkpoint) THEN 1
  ELSE ('checkpoint moved: ' || coalesce((SELECT position::text FROM ${table} WHERE name = ${name}), 'missing'))::int END AS ok${options.asynchronousCommit ? ', (SELECT value FROM settings) AS settings' : ''}`;
  try {
    if (writes.before.length > 0) {
      await db.transaction().execute(async (trx) => {
        for (const statement of writes.before) await run(trx, statement.text, statement.parameters);
        await run(trx, text, parameters);
      });
    } else {
      await run(db, text, parameters);
    }
  } catch (error) {
    cache.clear();
    const moved = /checkpoint moved: (\d+)/.exec(String((error as Error).message));
    if (moved) throw new CheckpointMovedError(after, Number(moved[1]));
    throw error;
  }
  let audit: AuditEntry[] | undefined;
  return {
    events: [...events],
    // Mapped on first use: a rebuild never looks at it.
    get audit() {
      audit ??= prepared.audit.map(toAuditEntry);
      return audit;
    },
    changes: prepared.changes,
  };
}

/** Prepares and commits one batch (see `prepareBatch` and `commitBatch`). */
export async function applyBatch(
  events: readonly RecordedEvent[],
  options: ApplyOptions,
): Promise<AppliedBatch> {
  return commitBatch(await prepareBatch(events, options), options);
}
