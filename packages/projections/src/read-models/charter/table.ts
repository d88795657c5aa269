import type { DecisionRules } from '@concord/domain';
import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';

/** The coalition's charter: one row, its name, decision rules and shared values. */
export const charter = table({
  name: 'charter',
  columns: {
    charter_id: col.id<'charter'>(),
    coalition_name: col.text(),
    rules: col.json<DecisionRules>(),
    shared_values: col.json<string[]>(),
    founded_at: col.time(),
    updated_at: col.time(),
    changes: col.integer(),
  },
  primaryKey: ['charter_id'],
  indexes: [],
});

/** Standard operating procedures: the current version of each, active or retired. */
export const charterSops = table({
  name: 'charter_sops',
  columns: {
    sop_id: col.id(),
    title: col.text(),
    text: col.text(),
    version: col.integer(),
    status: col.text<'active' | 'retired'>(),
    adopted_by_proposal_id: col.id().orNull(),
    adopted_at: col.time(),
    retired_at: col.time().orNull(),
  },
  primaryKey: ['sop_id'],
  indexes: [],
});

/** Every change of the charter, with the proposal that made it. */
export const charterHistory = table({
  name: 'charter_history',
  columns: {
    global_position: col.bigint(),
    change: col.text<'founded' | 'rulesChanged' | 'valuesRevised' | 'sopAdopted' | 'sopRetired'>(),
    sop_id: col.id().orNull(),
    version: col.integer().orNull(),
    content: col.json<unknown>().orNull(),
    proposal_id: col.id().orNull(),
    at: col.time(),
  },
  primaryKey: ['global_position'],
  indexes: [],
  appendOnly: true,
});

export type CharterRow = RowOf<typeof charter>;
export type CharterSopRow = RowOf<typeof charterSops>;
export type CharterHistoryRow = RowOf<typeof charterHistory>;

/** The charter read model's tables as Kysely sees them. */
export type CharterTables = TablesOf<typeof charter | typeof charterSops | typeof charterHistory>;
