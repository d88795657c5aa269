import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/index.ts';
import { Accumulator } from '../src/postgres/driver.ts';
import { pgliteCopyIn, pgliteCopyOut } from '../src/postgres/pglite-copy.ts';

type Opened = Awaited<ReturnType<typeof openPglite>>;

const OUT = 'COPY (SELECT * FROM t ORDER BY id) TO STDOUT (FORMAT binary)';

describe('COPY on PGlite through its wire protocol', () => {
  let opened: Opened;
  /** What PGlite's own `/dev/blob` gives for the same COPY. */
  let expected: Buffer;
  beforeAll(async () => {
    opened = await openPglite();
    // Over a megabyte of COPY output: PGlite streams it in many chunks, with messages cut across them.
    await opened.pglite.exec(`create table t (id int primary key, note text, doc jsonb, at timestamptz);
      insert into t select g, repeat(chr(65 + g % 26), 200 + g % 37), jsonb_build_object('n', g),
        '2026-12-05T10:00:00Z'::timestamptz + g * interval '1 second' from generate_series(1, 5000) g;
      create table copied (like t)`);
    const blob = await opened.pglite.query(OUT.replace('STDOUT', `'/dev/blob'`));
    expected = Buffer.from(await blob.blob!.arrayBuffer());
  });
  afterAll(() => opened.db.destroy());

  it('reads what PGlite writes to a blob, byte for byte, into a buffer it reuses', async () => {
    expect(expected.length).toBeGreaterThan(1_000_000);
    const received = new Accumulator();
    const first = Buffer.from(await pgliteCopyOut(opened.pglite, OUT, received));
    expect(first.equals(expected)).toBe(true);
    const again = await pgliteCopyOut(
      opened.pglite,
      OUT.replace('ORDER BY id', 'ORDER BY id LIMIT 3'),
      received,
    );
    expect(again.length).toBeLessThan(2_000);
    expect(again.subarray(0, 19).equals(expected.subarray(0, 19))).toBe(true);
  });

  it('writes blocks cut anywhere, rows across them: the same rows arrive', async () => {
    const cuts = [0, 7, 19, 5_000, 400_001, expected.length];
    const blocks = cuts.slice(1).map((end, i) => expected.subarray(cuts[i], end));
    await pgliteCopyIn(opened.pglite, 'COPY copied FROM STDIN (FORMAT binary)', blocks);
    const { rows } = await opened.pglite.query<{ n: number; differ: number }>(
      `select (select count(*)::int from copied) as n,
        (select count(*)::int from (select * from t except all select * from copied) d) as differ`,
    );
    expect(rows[0]).toEqual({ n: 5000, differ: 0 });
  });

  it("throws PostgreSQL's error, writes nothing, and the next statement runs", async () => {
    await opened.pglite.exec('truncate copied');
    const broken = [expected.subarray(0, 19), expected.subarray(19, 2_000), Buffer.from([0, 9, 0, 0])];
    await expect(
      pgliteCopyIn(opened.pglite, 'COPY copied FROM STDIN (FORMAT binary)', broken),
    ).rejects.toMatchObject({ code: '22P04' });
    await expect(
      pgliteCopyOut(opened.pglite, 'COPY (SELECT 1 / 0) TO STDOUT', new Accumulator()),
    ).rejects.toMatchObject({ code: '22012', message: 'division by zero' });
    const { rows } = await opened.pglite.query<{ n: number }>('select count(*)::int as n from copied');
    expect(rows[0]).toEqual({ n: 0 });
  });
});
