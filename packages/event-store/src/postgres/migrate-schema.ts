import { type Kysely, type Migration, Migrator, sql } from 'kysely';

/**
 * Brings one schema up to date with Kysely's Migrator: the schema is created if missing, and its
 * migrations are recorded in the schema's own `migrations` table (locked with `migrations_lock`, so two
 * processes starting together migrate once). Every Concord schema (event store, read models, the API's
 * tables) migrates through here.
 *
 * @param migrations by name, applied in name order; each is fixed SQL (or fixed Kysely code) once
 *   released, never derived from today's definitions, so an old database and a new one take the same path.
 */
export async function migrateSchema(
  db: Kysely<unknown>,
  schema: string,
  migrations: Readonly<Record<string, Migration>>,
): Promise<void> {
  await sql.raw(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).execute(db);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableSchema: schema,
    migrationTableName: 'migrations',
    migrationLockTableName: 'migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
}
