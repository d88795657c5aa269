import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/index.ts';

type Opened = Awaited<ReturnType<typeof openPglite>>;

/** Statements PGlite holds prepared, by text. */
async function preparedTexts(opened: Opened): Promise<string[]> {
  const { rows } = await opened.pglite.query<{ statement: string }>(
    'select statement from pg_prepared_statements where name like $1',
    ['concord_%'],
  );
  return rows.map((row) => row.statement);
}

describe('Kysely on PGlite with prepared statements', () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await openPglite();
    await sql`create table t (id int primary key, big int8, at timestamptz, doc jsonb, raw bytea, flag bool,
      tags text[], note text)`.execute(opened.db);
  });
  afterAll(() => opened.db.destroy());

  it('sends values through and reads rows back as PGlite itself does', async () => {
    const at = new Date('2026-12-04T10:11:12.345Z');
    const row = {
      big: 9007199254740991,
      at,
      doc: { a: [1, 'two'], b: null },
      raw: new Uint8Array([0, 1, 255]),
    };
    await sql`insert into t values (1, ${row.big}, ${at}, ${JSON.stringify(row.doc)}, ${row.raw}, ${true},
      ${['x', 'y "z"']}, ${null})`.execute(opened.db);
    const text = 'select * from t where id = $1';
    const ours = (await sql.raw<Record<string, unknown>>(text.replace('$1', '1')).execute(opened.db)).rows[0];
    const theirs = (await opened.pglite.query<Record<string, unknown>>(text, [1])).rows[0];
    expect(ours).toEqual(theirs);
    expect(ours).toEqual({ id: 1, ...row, flag: true, tags: ['x', 'y "z"'], note: null });
  });

  it('counts the rows an insert, update or delete touched, none included', async () => {
    const insert = await sql`insert into t (id) select g from generate_series(10, 12) g`.execute(opened.db);
    expect(insert.numAffectedRows).toBe(3n);
    const update = await sql`update t set note = 'n' where id >= ${10}`.execute(opened.db);
    expect(update.numAffectedRows).toBe(3n);
    const none = await sql`update t set note = 'n' where id = ${-1}`.execute(opened.db);
    expect(none.numAffectedRows).toBe(0n);
    const removed = await sql`delete from t where id >= ${10}`.execute(opened.db);
    expect(removed.numAffectedRows).toBe(3n);
    expect((await sql`select 1 as one`.execute(opened.db)).numAffectedRows).toBeUndefined();
  });

  it('parses a statement once and runs it again by name', async () => {
    const query = () => sql<{ id: number }>`select id from t where id = ${1} /* once */`.execute(opened.db);
    await query();
    await query();
    const texts = (await preparedTexts(opened)).filter((text) => text.includes('/* once */'));
    expect(texts).toHaveLength(1);
  });

  it('gives PostgreSQL’s error with its code and leaves the connection usable', async () => {
    const duplicate = sql`insert into t (id) values (${1})`.execute(opened.db);
    await expect(duplicate).rejects.toMatchObject({ code: '23505' });
    await expect(sql`selec 1`.execute(opened.db)).rejects.toMatchObject({ code: '42601' });
    expect((await sql<{ n: number }>`select ${2}::int as n`.execute(opened.db)).rows).toEqual([{ n: 2 }]);
  });

  it('rolls a failed transaction back, and the next one commits', async () => {
    await expect(
      opened.db.transaction().execute(async (trx) => {
        await sql`insert into t (id) values (${20})`.execute(trx);
        await sql`insert into t (id) values (${1})`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    await opened.db.transaction().execute(async (trx) => {
      await sql`insert into t (id) values (${21})`.execute(trx);
    });
    const { rows } = await sql<{ id: number }>`select id from t where id in (20, 21)`.execute(opened.db);
    expect(rows).toEqual([{ id: 21 }]);
  });

  it('parses a kept statement again when its table changed shape', async () => {
    await sql`create table shape (a int)`.execute(opened.db);
    await sql`insert into shape values (1)`.execute(opened.db);
    const read = () => sql<Record<string, unknown>>`select * from shape`.execute(opened.db);
    expect((await read()).rows).toEqual([{ a: 1 }]);
    await sql`alter table shape add column b text default 'new'`.execute(opened.db);
    expect((await read()).rows).toEqual([{ a: 1, b: 'new' }]);
  });

  it('keeps at most 500 statements prepared, closing the least recently used', async () => {
    const hot = () => sql`select ${1}::int as hot`.execute(opened.db);
    await hot();
    for (let i = 0; i < 600; i++) {
      await sql.raw(`select ${i} as n`).execute(opened.db);
      if (i % 100 === 0) await hot();
    }
    await hot();
    const texts = await preparedTexts(opened);
    expect(texts.length).toBeLessThanOrEqual(501);
    expect(texts).toContain('select $1::int as hot');
    expect(texts).not.toContain('select 0 as n');
    expect(texts).toContain('select 599 as n');
  });
});
