import type { Kysely } from 'kysely';
import { run } from './projector/sql.ts';
import { assertSchemaName } from './schema/migrate.ts';
import { tables, viewTables } from './schema/tables.ts';

export interface TableDifference {
  table: string;
  rows: { left: number; right: number };
  /** Rows only on the left (up to the limit), as stored. */
  onlyLeft: Record<string, unknown>[];
  onlyRight: Record<string, unknown>[];
}

export interface Comparison {
  identical: boolean;
  checkpoints: {
    left: { position: number; events: number } | null;
    right: { position: number; events: number } | null;
  };
  differences: TableDifference[];
}

/**
 * Compares every read-model table of two schemas row by row (as multisets, with SQL's EXCEPT ALL), and
 * their checkpoints' positions and event counts. Returns up to `limit` differing rows per side and table.
 */
export async function compareReadModels(
  db: Kysely<unknown>,
  left: string,
  right: string,
  { limit = 20 }: { limit?: number } = {},
): Promise<Comparison> {
  assertSchemaName(left);
  assertSchemaName(right);
  const differences: TableDifference[] = [];
  for (const spec of viewTables) {
    const l = `"${left}"."${spec.name}"`;
    const r = `"${right}"."${spec.name}"`;
    const counts = await run<{ left: string | number; right: string | number }>(
      db,
      `SELECT (SELECT count(*) FROM ${l}) AS left, (SELECT count(*) FROM ${r}) AS right`,
    );
    const onlyLeft = (
      await run(db, `SELECT * FROM (SELECT * FROM ${l} EXCEPT ALL SELECT * FROM ${r}) d LIMIT ${limit}`)
    ).rows;
    const onlyRight = (
      await run(db, `SELECT * FROM (SELECT * FROM ${r} EXCEPT ALL SELECT * FROM ${l}) d LIMIT ${limit}`)
    ).rows;
    const rows = { left: Number(counts.rows[0]!.left), right: Number(counts.rows[0]!.right) };
    if (onlyLeft.length > 0 || onlyRight.length > 0 || rows.left !== rows.right) {
      differences.push({ table: spec.name, rows, onlyLeft, onlyRight });
    }
  }
  const checkpoint = async (schema: string) => {
    const { rows } = await run<{ position: string | number; events: string | number }>(
      db,
      `SELECT position, events FROM "${schema}"."${tables[0].name}" WHERE name = 'projector'`,
    );
    return rows[0] ? { position: Number(rows[0].position), events: Number(rows[0].events) } : null;
  };
  const checkpoints = { left: await checkpoint(left), right: await checkpoint(right) };
  const sameCheckpoint =
    checkpoints.left?.position === checkpoints.right?.position &&
    checkpoints.left?.events === checkpoints.right?.events;
  return { identical: differences.length === 0 && sameCheckpoint, checkpoints, differences };
}
