import { availableParallelism } from 'node:os';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POOL_SIZE, type DriverKysely, driverOf, openPostgres } from '../src/index.ts';
import { createTestDatabase, postgresAvailable, type TestDatabase } from './support/index.ts';

/** Statements the pool's one connection holds prepared, by text. */
async function preparedTexts(db: DriverKysely): Promise<string[]> {
  const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements
    where name like 'concord%'`.execute(db);
  return rows.map((row) => row.statement);
}

describe.skipIf(!postgresAvailable)('Kysely on PostgreSQL with recurring statements prepared', () => {
  let database: TestDatabase;
  let db: DriverKysely;
  beforeAll(async () => {
    database = await createTestDatabase('concord_prepared');
    // One connection, so what it holds prepared is what the tests read.
    db = openPostgres(database.url, 1);
    await sql`create table t (id int primary key, note text)`.execute(db);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('names a statement the second time its text runs, and runs it by name after', async () => {
    const query = (id: number) => sql`select id from t where id = ${id} /* recurring */`.execute(db);
    await query(1);
    expect((await preparedTexts(db)).filter((text) => text.includes('/* recurring */'))).toHaveLength(0);
    await query(2);
    await query(3);
    expect((await preparedTexts(db)).filter((text) => text.includes('/* recurring */'))).toHaveLength(1);
  });

  it('never names a text that runs once', async () => {
    for (let i = 0; i < 20; i++) await sql.raw(`select ${i} as once`).execute(db);
    expect((await preparedTexts(db)).filter((text) => text.includes('as once'))).toEqual([]);
  });

  it('never names a schema change', async () => {
    for (let i = 0; i < 3; i++) await sql`create index if not exists t_note on t (note)`.execute(db);
    expect((await preparedTexts(db)).filter((text) => text.includes('t_note'))).toEqual([]);
  });

  it('gives results and errors as an unnamed statement does', async () => {
    const insert = () => sql`insert into t (id, note) values (${7}, ${'seven'})`.execute(db);
    expect((await insert()).numAffectedRows).toBe(1n);
    await expect(insert()).rejects.toMatchObject({ code: '23505' });
    await expect(insert()).rejects.toMatchObject({ code: '23505' });
    const read = () => sql<{ note: string }>`select note from t where id = ${7}`.execute(db);
    await read();
    expect((await read()).rows).toEqual([{ note: 'seven' }]);
  });

  it('runs a named statement again unnamed once its table changed shape, and names it anew', async () => {
    await sql`create table shape (a int)`.execute(db);
    await sql`insert into shape values (1)`.execute(db);
    const read = () => sql<Record<string, unknown>>`select * from shape`.execute(db);
    await read();
    await read();
    expect(await preparedTexts(db)).toContain('select * from shape');
    await sql`alter table shape add column b text default 'new'`.execute(db);
    expect((await read()).rows).toEqual([{ a: 1, b: 'new' }]);
    expect((await read()).rows).toEqual([{ a: 1, b: 'new' }]);
    expect((await read()).rows).toEqual([{ a: 1, b: 'new' }]);
  });

  it('fails a transaction whose named statement went stale, and the next transaction commits', async () => {
    await sql`create table moved (a int)`.execute(db);
    const read = (trx: Kysely<unknown>) => sql<Record<string, unknown>>`select * from moved`.execute(trx);
    await read(db);
    await read(db);
    await sql`alter table moved add column b int`.execute(db);
    await expect(db.transaction().execute((trx) => read(trx))).rejects.toMatchObject({
      code: '0A000',
    });
    const { rows } = await db.transaction().execute((trx) => read(trx));
    expect(rows).toEqual([]);
  });
});

describe.skipIf(!postgresAvailable)('the pool a PostgreSQL store opens by default (ADR 0035)', () => {
  it('holds four connections per core of this machine, at most 20, and no more at once', async () => {
    const database = await createTestDatabase('concord_pool_size');
    const db = openPostgres(database.url);
    try {
      const expected = Math.min(20, 4 * availableParallelism());
      expect(DEFAULT_POOL_SIZE).toBe(expected);
      const driver = driverOf(db);
      if (driver?.kind !== 'pg') throw new Error('expected a pg pool');
      expect(driver.pool.options.max).toBe(expected);
      // Twice as many statements at once as connections: the pool opens its size and no more (the idle
      // ones stay open for 10 s, so the count after is the most it had).
      await Promise.all(Array.from({ length: 2 * expected }, () => sql`select pg_sleep(0.05)`.execute(db)));
      expect(driver.pool.totalCount).toBe(expected);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });
});
