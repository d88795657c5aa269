import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppendResult,
  ConcurrencyError,
  EventIdConflictError,
  openPostgresEventStore,
  type PostgresEventStore,
} from '../src/index.ts';
import {
  createTestDatabase,
  newEvent as event,
  postgresAvailable,
  type TestDatabase,
} from './support/index.ts';

const TRANSACTION = 1000;

/**
 * Appends waiting for a connection go out together in one call and one commit. A pool of 4 lets one
 * append run at a time, so appends started together are grouped, and each must still get exactly the
 * answer it would have had alone.
 */
describe.skipIf(!postgresAvailable)('grouped appends (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase('concord_group');
    store = await openPostgresEventStore(database.url, { poolSize: 4 });
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await store?.close();
    await database?.drop();
  });

  /** The streams whose events share each transaction (global position / 1000). */
  async function streamsPerTransaction(): Promise<number[]> {
    const { rows } = await client.query<{ streams: number }>(
      `select count(distinct stream_id)::int as streams from eventstore.events group by global_position / ${TRANSACTION}`,
    );
    return rows.map((row) => row.streams);
  }

  it('gives every append of a group its own answer: versions, refusals and stream order', async () => {
    const streams = Array.from({ length: 40 }, (_, i) => `group-${i}-${randomUUID()}`);
    for (const id of streams.slice(0, 20)) await store.append(id, [event('Opened')]);
    const started = await streamsPerTransaction();

    // Started together: for each stream one append that must succeed, and for half of them one that
    // expects a version the stream never had (refused, with the version found).
    const attempts: { streamId: string; expected: number | 'no_stream'; result: Promise<AppendResult> }[] =
      [];
    streams.forEach((streamId, i) => {
      const existing = i < 20;
      const expected = existing ? 1 : ('no_stream' as const);
      const events = Array.from({ length: 1 + (i % 3) }, (_, n) => event('Counted', { i, n }));
      attempts.push({
        streamId,
        expected,
        result: store.append(streamId, events, { expectedVersion: expected }),
      });
    });
    const wrong = streams
      .filter((_, i) => i % 2 === 0)
      .map((streamId) => ({
        streamId,
        // Settled at once: a refusal is an answer here, not an unhandled rejection.
        refusal: store.append(streamId, [event('Late')], { expectedVersion: 7 }).then(
          () => null,
          (error: unknown) => error,
        ),
      }));

    const results = await Promise.all(attempts.map((attempt) => attempt.result));
    results.forEach((result, i) => {
      const existing = i < 20;
      expect(result.nextExpectedVersion).toBe((existing ? 1 : 0) + 1 + (i % 3));
      expect(result.alreadyAppended).toBe(false);
    });
    for (const { streamId, refusal: settled } of wrong) {
      const refusal = await settled;
      expect(refusal).toBeInstanceOf(ConcurrencyError);
      const stored = await store.readStream(streamId);
      expect(refusal).toMatchObject({ streamId, expected: 7, actual: stored.length });
    }
    for (const [i, streamId] of streams.entries()) {
      const stored = await store.readStream(streamId);
      expect(stored.map((e) => e.streamPosition)).toEqual(stored.map((_, n) => n + 1));
      expect(stored.at(-1)!.globalPosition).toBe(results[i]!.lastGlobalPosition);
      expect(stored.filter((e) => e.type === 'Late')).toEqual([]);
    }
    // Grouping happened: some transaction holds the events of several streams.
    const after = await streamsPerTransaction();
    expect(Math.max(...after)).toBeGreaterThan(1);
    expect(after.length).toBeLessThan(started.length + streams.length);
    expect(await store.verify()).toMatchObject({ ok: true });
  });

  it('answers a retried append as stored, and refuses an event id stored elsewhere, without failing the rest', async () => {
    const first = `retry-${randomUUID()}`;
    const original = [event('Proposed'), event('Seconded')];
    await store.append(first, original, { expectedVersion: 'no_stream' });
    const taken = event('Taken');
    await store.append(`elsewhere-${randomUUID()}`, [taken]);

    const others = Array.from({ length: 6 }, () => `other-${randomUUID()}`);
    const blocker = store.append(`blocker-${randomUUID()}`, [event('First')]);
    const retried = store.append(first, original, { expectedVersion: 'no_stream' });
    const conflicting = store.append(`conflict-${randomUUID()}`, [event('Before'), { ...taken }]).then(
      () => null,
      (error: unknown) => error,
    );
    const fine = others.map((id) => store.append(id, [event('Fine')], { expectedVersion: 'no_stream' }));

    await blocker;
    await expect(retried).resolves.toMatchObject({ alreadyAppended: true, nextExpectedVersion: 2 });
    expect(await conflicting).toBeInstanceOf(EventIdConflictError);
    for (const result of await Promise.all(fine)) expect(result.nextExpectedVersion).toBe(1);
    for (const id of others) expect(await store.readStream(id)).toHaveLength(1);
    expect(await store.readStream(first)).toHaveLength(2);
    expect(await store.verify()).toMatchObject({ ok: true });
  });

  it('checks other streams in a group as alone: a moved one refuses its append only, and a stream appended in the group is never checked in it (ADR 0043)', async () => {
    const streams = Array.from({ length: 8 }, () => `checked-${randomUUID()}`);
    const facts = streams.map(() => `fact-${randomUUID()}`);
    for (const fact of facts) await store.append(fact, [event('Admitted')]);
    const before = await streamsPerTransaction();
    const blocker = store.append(`blocker-${randomUUID()}`, [event('First')]);
    const held = streams.map((id, i) =>
      store.append(id, [event('Stance')], { unchanged: [{ streamId: facts[i]!, version: 1 }] }),
    );
    await blocker;
    for (const result of await Promise.all(held)) expect(result.nextExpectedVersion).toBe(1);
    const after = await streamsPerTransaction();
    expect(Math.max(...after.slice(before.length))).toBeGreaterThan(1);

    // One check fails: that append alone is refused, naming its fact.
    const again = store.append(`blocker-${randomUUID()}`, [event('First')]);
    const mixed = streams.map((id, i) =>
      store
        .append(id, [event('Stance')], { unchanged: [{ streamId: facts[i]!, version: i === 3 ? 2 : 1 }] })
        .then(
          (result) => result.nextExpectedVersion,
          (error: unknown) => error,
        ),
    );
    await again;
    const answers = await Promise.all(mixed);
    answers.forEach((answer, i) => {
      if (i === 3) expect(answer).toMatchObject({ streamId: facts[3], expected: 2, actual: 1 });
      else expect(answer).toBe(2);
    });

    // Queued together: an append to a fact's stream, then one that checks that fact at its old version. In one
    // group the check would be made before the other append; apart, it sees the fact moved and refuses.
    const third = store.append(`blocker-${randomUUID()}`, [event('First')]);
    const moves = store.append(facts[0]!, [event('Departed')], { expectedVersion: 1 });
    const judged = store
      .append(streams[0]!, [event('Stance')], { unchanged: [{ streamId: facts[0]!, version: 1 }] })
      .then(
        () => null,
        (error: unknown) => error,
      );
    await third;
    await expect(moves).resolves.toMatchObject({ nextExpectedVersion: 2 });
    expect(await judged).toMatchObject({ streamId: facts[0], expected: 1, actual: 2 });
    expect(await store.readStream(streams[0]!)).toHaveLength(2);
    expect(await store.verify()).toMatchObject({ ok: true });
  });

  it('refuses a malformed group in the database, and a group that is not the first write of its transaction', async () => {
    const call = (streams: string[], counts: number[], ids: string[]) =>
      client.query(
        `select * from eventstore.append_group($1::text[], $2::text[], $3::bigint[], $4::int[], $5, $6, $7, $8, $9)`,
        [
          streams,
          streams.map(() => 'any'),
          streams.map(() => 0),
          counts,
          ids.join(','),
          JSON.stringify(ids.map(() => 'T')),
          `[${ids.map(() => '{}').join(',')}]`,
          `[${ids.map(() => '{}').join(',')}]`,
          Buffer.alloc(32 * ids.length),
        ],
      );
    const a = randomUUID();
    const b = randomUUID();
    await expect(call(['same', 'same'], [1, 1], [a, b])).rejects.toMatchObject({ code: '22P02' });
    await expect(call(['x', 'y'], [1, 2], [a, b])).rejects.toMatchObject({ code: '22P02' });
    await expect(call(['x', 'y'], [2, 0], [a, b])).rejects.toMatchObject({ code: '22P02' });
    await client.query('BEGIN');
    try {
      await client.query('select pg_current_xact_id()');
      await expect(call(['x', 'y'], [1, 1], [a, b])).rejects.toMatchObject({ code: 'CN003' });
    } finally {
      await client.query('ROLLBACK');
    }
    const { rows } = await client.query(
      `select count(*)::int as n from eventstore.events where event_id in ($1, $2)`,
      [a, b],
    );
    expect(rows[0].n).toBe(0);
  });
});
