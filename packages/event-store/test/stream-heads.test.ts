import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openPglite,
  openPostgresEventStore,
  PostgresEventStore,
  type RecordedStreamHead,
  verifyExportLines,
} from '../src/index.ts';
import { alterSecondPayload } from './contract.ts';
import {
  createTestDatabase,
  newEvent as event,
  exportLines,
  pgliteAsSuperuser,
  postgresAsSuperuser,
  postgresAvailable,
  type TestDatabase,
  withClient,
} from './support/index.ts';
import { openForSuite } from './support/suite.ts';

interface Target {
  store: PostgresEventStore;
  /** Runs SQL as the application's role would: guards in place. */
  query(statement: string): Promise<void>;
  /** Runs SQL with every trigger lifted, as a superuser could. */
  asSuperuser(statements: string): Promise<void>;
  /** Runs several statements on one connection; the first value of the last one's first row. */
  lastValue(statements: string): Promise<unknown>;
  close(): Promise<void>;
}

function describeStreamHeads(name: string, open: () => Promise<Target>) {
  describe(`stream heads: ${name}`, () => {
    const target = openForSuite(open);
    const store = () => target().store;

    async function freshStream(count: number) {
      const id = `heads-${randomUUID()}`;
      for (let i = 1; i <= count; i++) await store().append(id, [event('Step', { i })]);
      const events = await store().readStream(id);
      return { id, events, last: events.at(-1)! };
    }

    it('refuses every change to a stream head that is not an append; appends still move heads', async () => {
      const { id, events } = await freshStream(3);
      const refused = /stream heads move only by appends/;
      await expect(
        target().query(`UPDATE eventstore.streams SET version = 2 WHERE stream_id = '${id}'`),
      ).rejects.toThrow(refused);
      await expect(
        target().query(
          `UPDATE eventstore.streams SET head_hash = '\\x${events[1]!.hash}' WHERE stream_id = '${id}'`,
        ),
      ).rejects.toThrow(refused);
      // Forward, but onto no stored event, or onto a hash that is not the event's.
      await expect(
        target().query(`UPDATE eventstore.streams SET version = 4 WHERE stream_id = '${id}'`),
      ).rejects.toThrow(refused);
      await expect(
        target().query(`UPDATE eventstore.streams SET stream_id = 'renamed-${id}' WHERE stream_id = '${id}'`),
      ).rejects.toThrow(refused);
      await expect(
        target().query(
          `INSERT INTO eventstore.streams (stream_id, version, head_hash) VALUES ('forged-${id}', 1, '\\x${events[0]!.hash}')`,
        ),
      ).rejects.toThrow(refused);
      await expect(
        target().query(`DELETE FROM eventstore.streams WHERE stream_id = '${id}'`),
      ).rejects.toThrow(/immutable/);
      await expect(target().query('TRUNCATE eventstore.streams')).rejects.toThrow(/immutable/);

      await store().append(id, [event('Step', { i: 4 }), event('Step', { i: 5 })], { expectedVersion: 3 });
      expect(await store().streamVersion(id)).toBe(5);
      expect(await store().verify()).toMatchObject({ ok: true });
    });

    it('checks a head against its event by the events’ key, not by reading every event', async () => {
      const { id, last } = await freshStream(1);
      await store().append(
        `filler-${randomUUID()}`,
        Array.from({ length: 40 }, (_, i) => event('Filler', { i })),
      );
      // Rows of `events` the append reads (sequentially or through an index), counted in its transaction
      // (the counter may hold earlier unflushed counts: the difference is the append's). The guard must
      // find the head's event by the (stream_id, stream_position) key: one row. (When the two stream_id
      // collations conflicted, it read every event: 1.5 s an append at a million events.)
      const rowsRead = `(SELECT seq_tup_read + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables
          WHERE relid = 'eventstore.events'::regclass)`;
      const read = await target().lastValue(`BEGIN;
        SET LOCAL enable_seqscan = off;
        SELECT set_config('concord.rows', ${rowsRead}::text, true);
        SELECT * FROM eventstore.append('${id}', 'version', 1, '${randomUUID()}', '["Step"]', '[{}]', '[{}]',
          '\\x${'ab'.repeat(32)}'::bytea);
        SELECT ${rowsRead} - current_setting('concord.rows')::bigint;`);
      await target().lastValue('ROLLBACK; SELECT 1');
      expect(Number(read)).toBeLessThanOrEqual(2);
      expect(await store().streamVersion(id)).toBe(1);
      expect((await store().readStream(id)).at(-1)?.hash).toBe(last.hash);
    });

    it('names an altered payload, also when its stream’s chain was recomputed but not its head', async () => {
      const { id, events } = await freshStream(3);
      const victim = await alterSecondPayload(
        store(),
        { eventsTable: 'eventstore.events', asSuperuser: target().asSuperuser },
        { id, events },
      );
      const lines = await exportLines(store());
      expect(await verifyExportLines(lines)).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 2, problem: 'hash_mismatch' },
      });

      // Recompute the altered event's hash and the next one's, as someone who knows the algorithm could,
      // and leave the recorded head as it was: the head no longer matches the chain.
      const recomputed = await recomputeChain(store(), id, 2, { 2: { i: 200 } });
      await target().asSuperuser(
        recomputed
          .map(
            (e) =>
              `UPDATE eventstore.events SET hash = '\\x${e.hash}' WHERE global_position = ${e.globalPosition}`,
          )
          .join(';'),
      );
      expect(await store().verify()).toMatchObject({
        ok: false,
        firstBad: {
          streamId: id,
          streamPosition: 3,
          globalPosition: events[2]!.globalPosition,
          problem: 'stream_head_mismatch',
        },
      });
      expect(await verifyExportLines(await exportLines(store()))).toMatchObject({
        ok: false,
        firstBad: { streamId: id, problem: 'stream_head_mismatch' },
      });

      await target().asSuperuser(
        `UPDATE eventstore.events SET data = '{"i":2}', hash = '\\x${victim.hash}' WHERE global_position = ${victim.globalPosition};
         UPDATE eventstore.events SET hash = '\\x${events[2]!.hash}' WHERE global_position = ${events[2]!.globalPosition}`,
      );
      expect(await store().verify()).toMatchObject({ ok: true });
    });

    it('names a removed tail whose head was rewritten, and a lowered version', async () => {
      const { id, events, last } = await freshStream(3);
      const saved = `CREATE TABLE IF NOT EXISTS public.heads_saved AS SELECT * FROM eventstore.events WITH NO DATA;
        DELETE FROM public.heads_saved; INSERT INTO public.heads_saved SELECT * FROM eventstore.events WHERE global_position = ${last.globalPosition}`;
      const restore = `INSERT INTO eventstore.events SELECT * FROM public.heads_saved ON CONFLICT DO NOTHING;
        UPDATE eventstore.streams SET version = 3, head_hash = '\\x${last.hash}' WHERE stream_id = '${id}'`;

      // The last event removed and the head pointed at the event before, the version left: missing.
      await target().asSuperuser(
        `${saved}; DELETE FROM eventstore.events WHERE global_position = ${last.globalPosition};
         UPDATE eventstore.streams SET head_hash = '\\x${events[1]!.hash}' WHERE stream_id = '${id}'`,
      );
      expect(await store().verify()).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 3, globalPosition: null, problem: 'missing_event' },
      });
      await target().asSuperuser(restore);
      expect(await store().verify()).toMatchObject({ ok: true });

      // The last event removed and the version lowered, the head hash left: the head names another event.
      await target().asSuperuser(
        `${saved}; DELETE FROM eventstore.events WHERE global_position = ${last.globalPosition};
         UPDATE eventstore.streams SET version = 2 WHERE stream_id = '${id}'`,
      );
      expect(await store().verify()).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 2, problem: 'stream_head_mismatch' },
      });
      // The export carries the head as the store recorded it: the cut shows without the database.
      expect(await verifyExportLines(await exportLines(store()))).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 2, problem: 'stream_head_mismatch' },
      });
      await target().asSuperuser(restore);

      // Only the version lowered: the stream's last event is one no append recorded.
      await target().asSuperuser(
        `UPDATE eventstore.streams SET version = 2, head_hash = '\\x${events[1]!.hash}' WHERE stream_id = '${id}'`,
      );
      expect(await store().verify()).toMatchObject({
        ok: false,
        firstBad: {
          streamId: id,
          streamPosition: 3,
          globalPosition: last.globalPosition,
          problem: 'unexpected_event',
        },
      });
      expect(await verifyExportLines(await exportLines(store()))).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 3, problem: 'unexpected_event' },
      });
      await target().asSuperuser(restore);
      expect(await store().verify()).toMatchObject({ ok: true });
    });

    it('an export names a tail cut from the file, and checks every stream head', async () => {
      const { id, last } = await freshStream(3);
      const lines = await exportLines(store());
      const clean = await verifyExportLines(lines);
      expect(clean).toMatchObject({ ok: true });
      expect(clean.streamHeads).toBeGreaterThan(0);
      expect(clean.streamHeads).toBe(lines.filter((line) => line.startsWith('{"streamHead"')).length);

      const cut = lines.filter((line) => JSON.parse(line).globalPosition !== last.globalPosition);
      expect(cut).toHaveLength(lines.length - 1);
      expect(await verifyExportLines(cut)).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 3, problem: 'missing_event' },
      });
      // A head line dropped: its stream's events are ones no append recorded.
      const headless = lines.filter((line) => !line.includes(`"streamHead":{"streamId":"${id}"`));
      expect(await verifyExportLines(headless)).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 1, problem: 'unexpected_event' },
      });
      // Lines after the heads are refused.
      await expect(verifyExportLines([...lines, lines[0]!])).rejects.toThrow(/event after the stream heads/);
    });

    it('gives each stream’s head as of a position, leaving later appends out', async () => {
      const { id, last } = await freshStream(2);
      const until = last.globalPosition;
      await store().append(id, [event('Later')]);
      const fresh = `heads-late-${randomUUID()}`;
      await store().append(fresh, [event('Later')]);
      const heads: RecordedStreamHead[] = [];
      for await (const head of store().streamHeads(until, 7)) heads.push(head);
      expect(heads.find((h) => h.streamId === id)).toEqual({ streamId: id, version: 2, hash: last.hash });
      expect(heads.find((h) => h.streamId === fresh)).toBeUndefined();
      // Byte order of stream ids, across pages.
      const ids = heads.map((h) => h.streamId);
      expect(ids).toEqual([...ids].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
      const now: RecordedStreamHead[] = [];
      for await (const head of store().streamHeads(Number.MAX_SAFE_INTEGER)) now.push(head);
      expect(now.find((h) => h.streamId === id)?.version).toBe(3);
      expect(now.find((h) => h.streamId === fresh)?.version).toBe(1);
      expect(await store().verify()).toMatchObject({ ok: true });
    });
  });
}

/** The hashes a stream's events would have from `from` on, with some payloads replaced. */
async function recomputeChain(
  store: PostgresEventStore,
  streamId: string,
  from: number,
  payloads: Record<number, unknown>,
) {
  const { contentDigest, eventHash, GENESIS_HASH } = await import('../src/hash.ts');
  const events = await store.readStream(streamId);
  let previous: Buffer = GENESIS_HASH;
  const out: { globalPosition: number; hash: string }[] = [];
  for (const e of events) {
    if (e.streamPosition < from) {
      previous = Buffer.from(e.hash, 'hex');
      continue;
    }
    const data = e.streamPosition in payloads ? payloads[e.streamPosition] : e.data;
    const digest = contentDigest({
      streamId,
      id: e.id,
      type: e.type,
      dataJson: JSON.stringify(data),
      metadataJson: JSON.stringify(e.metadata),
    });
    previous = eventHash(previous, digest, {
      streamPosition: e.streamPosition,
      globalPosition: e.globalPosition,
      recordedAtMs: e.recordedAt.getTime(),
    });
    out.push({ globalPosition: e.globalPosition, hash: previous.toString('hex') });
  }
  return out;
}

describeStreamHeads('PGlite', async () => {
  const { db, pglite } = await openPglite();
  const store = new PostgresEventStore(db, { onClose: () => db.destroy() });
  await store.migrate();
  return {
    store,
    query: async (statement) => {
      await sql.raw(statement).execute(db);
    },
    asSuperuser: pgliteAsSuperuser(pglite),
    lastValue: async (statements) => {
      const results = await pglite.exec(statements);
      const rows = results.at(-1)?.rows ?? [];
      return rows[0] ? Object.values(rows[0])[0] : undefined;
    },
    close: () => store.close(),
  };
});

if (postgresAvailable) {
  let database: TestDatabase;
  describeStreamHeads('PostgreSQL', async () => {
    database = await createTestDatabase('concord_heads');
    const url = database.url;
    const store = await openPostgresEventStore(url, { poolSize: 4 });
    const run = async (text: string) => {
      await withClient(url, (client) => client.query(text));
    };
    return {
      store,
      query: run,
      asSuperuser: postgresAsSuperuser(url),
      // A connection of its own, ended after the statements (an open transaction is rolled back).
      lastValue: (statements) =>
        withClient(url, async (client) => {
          const results = (await client.query(statements)) as unknown as pg.QueryResult[];
          const rows = (Array.isArray(results) ? results.at(-1) : results)?.rows ?? [];
          return rows[0] ? Object.values(rows[0])[0] : undefined;
        }),
      close: async () => {
        await store.close();
        await database.drop();
      },
    };
  });

  describe('stream heads: grouped appends (PostgreSQL)', () => {
    let database: TestDatabase;
    let store: PostgresEventStore;
    beforeAll(async () => {
      database = await createTestDatabase('concord_heads_group');
      store = await openPostgresEventStore(database.url, { poolSize: 4 });
    });
    afterAll(async () => {
      await store?.close();
      await database?.drop();
    });

    it('lets grouped appends move their heads past the guard', async () => {
      const streams = Array.from({ length: 24 }, (_, i) => `group-${i}-${randomUUID()}`);
      await Promise.all(streams.map((id) => store.append(id, [event('Opened')])));
      await Promise.all(
        streams.map((id) => store.append(id, [event('Again'), event('Again')], { expectedVersion: 1 })),
      );
      const { rows } = await withClient(database.url, (client) =>
        client.query<{ groups: number }>(
          `SELECT count(*)::int AS groups FROM (
           SELECT global_position / 1000 FROM eventstore.events GROUP BY 1 HAVING count(DISTINCT stream_id) > 1
         ) t`,
        ),
      );
      expect(rows[0]!.groups).toBeGreaterThan(0);
      for (const id of streams) expect(await store.streamVersion(id)).toBe(3);
      expect(await store.verify()).toMatchObject({ ok: true, events: 72 });
    });
  });
} else {
  console.warn('[event-store] PostgreSQL stream-head suite SKIPPED: no PostgreSQL server reachable.');
}
