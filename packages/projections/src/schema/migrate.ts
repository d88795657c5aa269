import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { columnType, type TableSpec } from './columns.ts';
import { proposalTranslations, tables } from './tables.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The default schema of the read models. */
export const DEFAULT_SCHEMA = 'readmodel';

export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
}

function createTable(db: Kysely<unknown>, schema: string, spec: TableSpec) {
  let builder = db.schema.withSchema(schema).createTable(spec.name);
  for (const [name, column] of Object.entries(spec.columns)) {
    builder = builder.addColumn(name, sql.raw(columnType(column)), (c) =>
      column.nullable ? c : c.notNull(),
    );
  }
  return builder.addPrimaryKeyConstraint(`${spec.name}_pkey`, spec.primaryKey as never[]);
}

/** The CREATE INDEX statements of a table's secondary indexes. */
export function tableIndexStatements(schema: string, spec: TableSpec): string[] {
  return spec.indexes.map(
    (index) =>
      `CREATE INDEX IF NOT EXISTS "${index.name}" ON "${schema}"."${spec.name}" (${index.columns
        .map((c) => `"${c}"`)
        .join(', ')})${index.where ? ` WHERE ${index.where}` : ''}`,
  );
}

/** CREATE INDEX statements of every secondary index (dropped and re-created around a rebuild). */
export function indexStatements(schema: string): string[] {
  return tables.flatMap((spec) => tableIndexStatements(schema, spec));
}

export function dropIndexStatements(schema: string): string[] {
  return tables.flatMap((spec) =>
    spec.indexes.map((index) => `DROP INDEX IF EXISTS "${schema}"."${index.name}"`),
  );
}

function migrations(schema: string): Record<string, Migration> {
  return {
    '0001_tables': {
      async up(db) {
        for (const spec of tables) await createTable(db, schema, spec).execute();
      },
    },
    '0002_indexes': {
      async up(db) {
        for (const statement of indexStatements(schema)) await sql.raw(statement).execute(db);
      },
    },
    // Identifier columns in byte order (`col.id`); tables created since then have it already.
    '0003_id_collation': {
      async up(db) {
        const { rows } = await sql<{ table: string; column: string }>`
          select c.relname as "table", a.attname as "column"
            from pg_attribute a
            join pg_class c on c.oid = a.attrelid
            join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = ${schema} and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
             and a.attcollation <> 'pg_catalog."C"'::regcollation`.execute(db);
        const current = new Set(rows.map((row) => `${row.table}.${row.column}`));
        for (const spec of tables) {
          const changes = Object.entries(spec.columns)
            .filter(([name, column]) => column.collation && current.has(`${spec.name}.${name}`))
            .map(([name, column]) => `ALTER COLUMN "${name}" TYPE ${columnType(column)}`);
          if (changes.length > 0) {
            await sql.raw(`ALTER TABLE "${schema}"."${spec.name}" ${changes.join(', ')}`).execute(db);
          }
        }
      },
    },
    // Representatives without names (they live in the personal-data store, never in events) and with the
    // organization's confirmation. Rows written before it were invitations under the old rule, under which
    // an invitation was as good as confirmed. Fixed SQL: a table made by 0001 since then has it already.
    '0004_representative_confirmation': {
      async up(db) {
        await sql
          .raw(
            `ALTER TABLE "${schema}"."representatives"
               DROP COLUMN IF EXISTS "name",
               ADD COLUMN IF NOT EXISTS "confirmed" boolean NOT NULL DEFAULT true`,
          )
          .execute(db);
        await sql
          .raw(`ALTER TABLE "${schema}"."representatives" ALTER COLUMN "confirmed" DROP DEFAULT`)
          .execute(db);
      },
    },
    // Members' translations of proposals, comments and stance reasons. A schema made by 0001 since then
    // has the table already; one made before gets it now (no translation event predates it).
    '0005_proposal_translations': {
      async up(db) {
        await createTable(db, schema, proposalTranslations).ifNotExists().execute();
        for (const statement of tableIndexStatements(schema, proposalTranslations)) {
          await sql.raw(statement).execute(db);
        }
      },
    },
  };
}

/** Creates or upgrades the read-model tables in `schema` (default `readmodel`) with Kysely's Migrator. */
export async function migrateReadModels(db: Kysely<unknown>, schema: string = DEFAULT_SCHEMA): Promise<void> {
  assertSchemaName(schema);
  await sql.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).execute(db);
  const all = migrations(schema);
  const provider: MigrationProvider = { getMigrations: async () => all };
  const migrator = new Migrator({
    db,
    provider,
    migrationTableSchema: schema,
    migrationTableName: 'migrations',
    migrationLockTableName: 'migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
