import { migrateSchema, openPglite } from '@concord/event-store';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnType } from '../src/schema/columns.ts';
import { migrateReadModels, readModelMigrations } from '../src/schema/migrate.ts';
import { tables } from '../src/schema/tables.ts';

const idColumns = tables.flatMap((spec) =>
  Object.entries(spec.columns)
    .filter(([, column]) => column.collation === 'C')
    .map(([name]) => `${spec.name}.${name}`),
);

async function byteOrderColumns(db: Kysely<unknown>, schema: string): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname || '.' || a.attname as name
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relkind = 'r' and a.attnum > 0
       and a.attcollation = 'pg_catalog."C"'::regcollation
     order by 1`.execute(db);
  return rows.map((row) => row.name);
}

/** What a schema's tables are: columns (type, collation, null), primary keys and indexes, in a stable order. */
async function catalog(db: Kysely<unknown>, schema: string) {
  const columns = await sql<{ table: string; column: string; type: string; nullable: string }>`
    select c.relname as "table", a.attname as "column",
           format_type(a.atttypid, a.atttypmod)
             || case when a.attcollation = 'pg_catalog."C"'::regcollation then ' COLLATE "C"' else '' end as type,
           case when a.attnotnull then 'not null' else 'null' end as nullable
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = ${schema} and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
       and c.relname not like 'migrations%'
     order by 1, 2`.execute(db);
  const indexes = await sql<{ definition: string }>`
    select replace(indexdef, ${`${schema}.`}, '') as definition from pg_indexes
     where schemaname = ${schema} and tablename not like 'migrations%' order by indexname`.execute(db);
  return {
    columns: columns.rows.map((r) => `${r.table}.${r.column} ${r.type} ${r.nullable}`),
    indexes: indexes.rows.map((r) => r.definition),
  };
}

/** The same, as the table definitions (src/schema/tables.ts) say it should be. */
function defined() {
  const typeName = (sqlType: string) => (sqlType === 'timestamptz' ? 'timestamp with time zone' : sqlType);
  return tables
    .flatMap((spec) =>
      Object.entries(spec.columns).map(
        ([name, column]) =>
          `${spec.name}.${name} ${columnType({ ...column, sqlType: typeName(column.sqlType) as never })} ${column.nullable ? 'null' : 'not null'}`,
      ),
    )
    .sort();
}

describe('read-model migrations', () => {
  let db: Kysely<unknown>;
  beforeAll(async () => {
    ({ db } = await openPglite());
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('creates every identifier column in byte order, and only those', async () => {
    expect(idColumns).toContain('audit_trail.actor_person_id');
    expect(idColumns).toContain('proposal_stances.organization_id');
    expect(idColumns).not.toContain('members.name');
    await migrateReadModels(db, 'fresh');
    expect(await byteOrderColumns(db, 'fresh')).toEqual([...idColumns].sort());
  });

  it('moves the identifier columns of a schema made before 0003 to byte order, keeping rows and keys', async () => {
    await migrateReadModels(db, 'older');
    // As 0001 made them before identifiers had their own collation.
    await sql
      .raw(`ALTER TABLE older.proposal_stances ALTER COLUMN organization_id TYPE text COLLATE "default",
      ALTER COLUMN proposal_id TYPE text COLLATE "default"`)
      .execute(db);
    await sql.raw(`ALTER TABLE older.audit_trail ALTER COLUMN type TYPE text COLLATE "default"`).execute(db);
    await sql
      .raw(
        `DELETE FROM older.migrations WHERE name IN ('0003_id_collation', '0004_representative_confirmation',
        '0005_proposal_translations', '0006_audit_data', '0007_expenses', '0008_disbursements_and_payments', '0009_attachments', '0010_record_documents', '0011_partnerships', '0012_audit_acting_organization')`,
      )
      .execute(db);
    await sql
      .raw(`INSERT INTO older.proposal_stances (proposal_id, organization_id, person_id, stance, reason,
      revision, round, at, changes) VALUES ('p-1', 'org-1', 'person-1', 'consent', NULL, 1, 1, now(), 0)`)
      .execute(db);
    expect(await byteOrderColumns(db, 'older')).not.toContain('proposal_stances.organization_id');

    await migrateReadModels(db, 'older');

    expect(await byteOrderColumns(db, 'older')).toEqual([...idColumns].sort());
    const { rows } = await sql<{ organization_id: string }>`
      select organization_id from older.proposal_stances where proposal_id = 'p-1'`.execute(db);
    expect(rows).toEqual([{ organization_id: 'org-1' }]);
    await expect(
      sql
        .raw(`INSERT INTO older.proposal_stances (proposal_id, organization_id, person_id, stance, reason,
        revision, round, at, changes) VALUES ('p-1', 'org-1', 'person-1', 'block', NULL, 1, 1, now(), 0)`)
        .execute(db),
    ).rejects.toThrow(/duplicate key/);
  });

  it('takes the names out of representatives made before 0004 and reads their invitations as confirmed', async () => {
    await migrateReadModels(db, 'named');
    await sql
      .raw(`ALTER TABLE named.representatives DROP COLUMN confirmed, ADD COLUMN name text`)
      .execute(db);
    await sql
      .raw(
        `DELETE FROM named.migrations WHERE name IN ('0004_representative_confirmation', '0005_proposal_translations',
        '0006_audit_data', '0007_expenses', '0008_disbursements_and_payments', '0009_attachments', '0010_record_documents', '0011_partnerships', '0012_audit_acting_organization')`,
      )
      .execute(db);
    await sql
      .raw(`INSERT INTO named.representatives (organization_id, person_id, name, status, invited_by_person_id,
      invited_at, joined_at) VALUES ('org-1', 'person-1', 'Amal Haddad', 'active', 'f-1', now(), now())`)
      .execute(db);

    await migrateReadModels(db, 'named');

    const { rows } = await sql<Record<string, unknown>>`select * from named.representatives`.execute(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ person_id: 'person-1', status: 'active', confirmed: true });
    expect(rows[0]).not.toHaveProperty('name');
    const fresh = await sql<{ column_name: string; column_default: string | null }>`
      select column_name, column_default from information_schema.columns
       where table_schema = 'named' and table_name = 'representatives' order by column_name`.execute(db);
    expect(fresh.rows.find((column) => column.column_name === 'confirmed')?.column_default).toBeNull();
  });

  it('takes a database made by the first release up to today: the same tables, keys and indexes as a new one and as the definitions', async () => {
    // The first release ran 0001 and 0002 (fixed since); then a row, as a server of that release wrote it.
    const all = readModelMigrations('first');
    await migrateSchema(db, 'first', {
      '0001_tables': all['0001_tables']!,
      '0002_indexes': all['0002_indexes']!,
    });
    await sql
      .raw(`INSERT INTO first.representatives (organization_id, person_id, name, status, invited_by_person_id,
      invited_at, joined_at) VALUES ('org-1', 'person-1', 'Amal Haddad', 'active', 'f-1', now(), now())`)
      .execute(db);

    await migrateReadModels(db, 'first');
    await migrateReadModels(db, 'today');

    const upgraded = await catalog(db, 'first');
    expect(upgraded).toEqual(await catalog(db, 'today'));
    expect(upgraded.columns).toEqual(defined());
    const keysAndIndexes = tables.flatMap((spec) => [
      `${spec.name}_pkey`,
      ...spec.indexes.map((index) => index.name),
    ]);
    expect(upgraded.indexes.map((definition) => /INDEX (\S+) ON/.exec(definition)?.[1]).sort()).toEqual(
      keysAndIndexes.sort(),
    );
    const { rows } = await sql<Record<string, unknown>>`select * from first.representatives`.execute(db);
    expect(rows).toMatchObject([{ person_id: 'person-1', confirmed: true }]);
  });

  it('adds the translations table to a schema made before 0005, empty and with byte-order ids', async () => {
    await migrateReadModels(db, 'untranslated');
    await sql.raw(`DROP TABLE untranslated.proposal_translations`).execute(db);
    await sql
      .raw(
        `DELETE FROM untranslated.migrations WHERE name IN ('0005_proposal_translations', '0006_audit_data', '0007_expenses', '0008_disbursements_and_payments', '0009_attachments', '0010_record_documents', '0011_partnerships', '0012_audit_acting_organization')`,
      )
      .execute(db);

    await migrateReadModels(db, 'untranslated');

    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from untranslated.proposal_translations`.execute(db);
    expect(rows).toEqual([{ n: 0 }]);
    expect(await byteOrderColumns(db, 'untranslated')).toEqual([...idColumns].sort());
  });

  it("adds the events' data to the audit rows of a schema made before 0006: old rows kept, without data until a rebuild", async () => {
    await migrateReadModels(db, 'summarized');
    await sql.raw(`ALTER TABLE summarized.audit_trail DROP COLUMN data`).execute(db);
    await sql
      .raw(
        `DELETE FROM summarized.migrations WHERE name IN ('0006_audit_data', '0007_expenses', '0008_disbursements_and_payments', '0009_attachments', '0010_record_documents', '0011_partnerships', '0012_audit_acting_organization')`,
      )
      .execute(db);
    await sql
      .raw(`INSERT INTO summarized.audit_trail (global_position, event_id, stream_id, stream_position, type,
      recorded_at, summary, hash) VALUES (1, 'e-1', 'charter', 1, 'CoalitionFounded', now(), 'founded', 'h')`)
      .execute(db);

    await migrateReadModels(db, 'summarized');

    const { rows } = await sql<Record<string, unknown>>`
      select type, summary, data from summarized.audit_trail`.execute(db);
    expect(rows).toEqual([{ type: 'CoalitionFounded', summary: 'founded', data: null }]);
    expect((await catalog(db, 'summarized')).columns).toEqual(defined());
  });
});
