import { openPglite } from '@concord/event-store';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyEncoder } from '../src/projector/bulk/copy-encoder.ts';
import { col, table } from '../src/schema/columns.ts';

// The hand-written binary COPY encoder (ADR 0004): rows written with it must read back as they were
// given, for every column type the read models use, and values it cannot encode exactly are refused.
const sample = table({
  name: 'copy_sample',
  columns: {
    id: col.id(),
    label: col.text().orNull(),
    amount: col.bigint(),
    count: col.integer().orNull(),
    open: col.boolean(),
    at: col.time().orNull(),
    data: col.json<unknown>().orNull(),
  },
  primaryKey: ['id'],
  indexes: [],
});

const rows = [
  {
    id: 'a',
    label: 'ünïcode ✓ مرحبا \u2068isolated\u2069',
    amount: 9_007_199_254_740_991,
    count: -2_147_483_648,
    open: true,
    at: '2026-12-02T20:00:00.123Z',
    data: { list: [1, 'two', null], nested: { ok: true } },
  },
  { id: 'b', label: null, amount: -12_500, count: null, open: false, at: null, data: null },
  {
    id: 'c',
    label: '',
    amount: 0,
    count: 2_147_483_647,
    open: false,
    at: '1999-12-31T23:59:59.999Z',
    data: [],
  },
];

describe('the binary COPY encoder', () => {
  let opened: Awaited<ReturnType<typeof openPglite>>;
  beforeAll(async () => {
    opened = await openPglite();
    await opened.pglite.exec(
      `CREATE TABLE copy_sample (id text PRIMARY KEY, label text, amount bigint NOT NULL, count integer,
        open boolean NOT NULL, at timestamptz, data jsonb)`,
    );
  });
  afterAll(() => opened.db.destroy());

  it('writes every column type so that it reads back as given', async () => {
    const encoder = new CopyEncoder(sample);
    for (const row of rows) encoder.add(row);
    expect(encoder.rows).toBe(3);
    const blocks = encoder.take()!;
    await opened.pglite.query(
      `COPY copy_sample (${encoder.columnList}) FROM '/dev/blob' (FORMAT binary)`,
      [],
      {
        blob: new Blob(blocks as unknown as ConstructorParameters<typeof Blob>[0]),
      },
    );
    const { rows: stored } = await sql<
      Record<string, unknown>
    >`SELECT id, label, amount::text AS amount, count, open,
      to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, data FROM copy_sample ORDER BY id`.execute(
      opened.db,
    );
    expect(stored).toEqual(rows.map((row) => ({ ...row, amount: String(row.amount) })));
    // Taken blocks leave the encoder empty for the next flush.
    expect(encoder.rows).toBe(0);
    expect(encoder.take()).toBeNull();
  });

  it('refuses what it cannot encode exactly instead of writing something else', () => {
    const encoder = new CopyEncoder(sample);
    const base = rows[1]!;
    expect(() => encoder.add({ ...base, amount: 2 ** 53 })).toThrow(/amount/);
    expect(() => encoder.add({ ...base, count: 2_147_483_648 })).toThrow(/count/);
    expect(() => encoder.add({ ...base, open: 'yes' })).toThrow(/open/);
    expect(() => encoder.add({ ...base, at: '2026-12-02T20:00:00.123456Z' })).toThrow(/at/);
    expect(() => encoder.add({ ...base, at: 'not a time' })).toThrow(/at/);
  });
});
