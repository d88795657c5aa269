import { buildReadModels, compareReadModels, DEFAULT_SCHEMA, readModels } from '@concord/projections';
import { sql } from 'kysely';
import type { Target } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Output } from '../io.ts';
import { progressReporter } from '../progress.ts';

const SCRATCH = `${DEFAULT_SCHEMA}_replay`;

/**
 * `concord replay`: rebuilds every read model from the events into a scratch schema, up to the position
 * the live read models have reached, and compares the two row by row. Exit 0 when identical, 1 otherwise.
 */
export async function replay(
  target: Target,
  options: { limit: number; keep: boolean },
  out: Output,
  err: Output,
) {
  const live = await readModels(target.db)
    .checkpoint()
    .catch(() => null);
  if (!live) {
    throw new CliError(
      `no live read models in schema "${DEFAULT_SCHEMA}" to compare with (run \`concord project\` or start Concord first)`,
      EXIT.unavailable,
    );
  }
  const head = await target.store.head();
  if (head > live.position) {
    err.write(
      `note: the live read models are at position ${live.position}; the store's head is ${head}. Comparing at ${live.position}.\n`,
    );
  }
  const progress = progressReporter('replaying', err);
  const built = await buildReadModels({
    db: target.db,
    store: target.store,
    schema: SCRATCH,
    until: live.position,
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.done();
  const comparison = await compareReadModels(target.db, DEFAULT_SCHEMA, SCRATCH, { limit: options.limit });
  if (!options.keep) await sql.raw(`DROP SCHEMA IF EXISTS "${SCRATCH}" CASCADE`).execute(target.db);
  if (comparison.identical) {
    out.write(
      `identical: ${built.events} events replayed up to position ${live.position}; every read model matches, row by row\n`,
    );
    return EXIT.ok;
  }
  out.write(
    `DIFFERENT: the live read models do not match a replay of the ${built.events} events up to position ${live.position}\n`,
  );
  const { left, right } = comparison.checkpoints;
  if (left?.events !== right?.events || left?.position !== right?.position) {
    out.write(`checkpoint: live ${JSON.stringify(left)}, replay ${JSON.stringify(right)}\n`);
  }
  for (const difference of comparison.differences) {
    out.write(
      `\n${difference.table}: live ${difference.rows.left} rows, replay ${difference.rows.right} rows\n`,
    );
    for (const row of difference.onlyLeft) out.write(`  - live only:   ${JSON.stringify(row)}\n`);
    for (const row of difference.onlyRight) out.write(`  + replay only: ${JSON.stringify(row)}\n`);
  }
  return EXIT.failed;
}
