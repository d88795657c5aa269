import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentDigest,
  openPostgresEventStore,
  type PostgresEventStore,
  type RecordedEvent,
  type Subscription,
} from '../src/index.ts';
import { createTestDatabase, eventually, postgresAvailable, type TestDatabase } from './support/index.ts';

const WRITERS = 16;
const STREAMS = 1000;
const EVENTS = 20_000;

// The sequence-gap problem: an append can draw a lower global position than another and commit after
// it. A reader that trusts positions alone then moves past the late event and never sees it.
describe.skipIf(!postgresAvailable)('gap-safe global order under concurrent writers (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openPostgresEventStore(database.url, { poolSize: WRITERS + 4, pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it('delivers every event exactly once, each stream in order, across a late commit and a restart', async () => {
    const delivered: RecordedEvent[] = [];
    let subscription: Subscription = store.subscribe({ after: 0 }, (e) => {
      delivered.push(e);
    });

    const versions = new Array<number>(STREAMS).fill(0);
    let appended = 0;
    let heldStarted!: () => void;
    const reachedMiddle = new Promise<void>((resolve) => {
      heldStarted = resolve;
    });
    let held: { client: pg.Client; position: number } | undefined;

    const writer = async (w: number) => {
      for (let i = 0; appended < EVENTS; i++) {
        const s = w + WRITERS * (i % Math.ceil(STREAMS / WRITERS));
        if (s >= STREAMS) continue;
        appended++;
        const result = await store.append(
          `gap-${s}`,
          [{ id: randomUUID(), type: 'Counted', data: { stream: s, n: versions[s]! + 1 } }],
          { expectedVersion: versions[s]! },
        );
        versions[s] = result.nextExpectedVersion;
        if (appended === EVENTS / 2 && w === 0) await reachedMiddle;
      }
    };

    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));

    // In the middle: an append whose transaction stays open while everyone else keeps committing.
    await eventually(() => appended >= EVENTS / 2 - WRITERS, 'the middle of the run');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('BEGIN');
    const heldId = randomUUID();
    const digest = contentDigest({
      streamId: 'held-stream',
      id: heldId,
      type: 'HeldOpen',
      dataJson: '{}',
      metadataJson: '{}',
    });
    const { rows } = await client.query(
      `SELECT last_position FROM eventstore.append($1, 'no_stream', 0, $2, '["HeldOpen"]', '[{}]', '[{}]', $3)`,
      ['held-stream', heldId, digest],
    );
    held = { client, position: Number(rows[0].last_position) };
    heldStarted();

    // A restart half way: close the subscriber and resume from its checkpoint.
    await eventually(() => delivered.length >= EVENTS / 4, 'a quarter delivered');
    await subscription.close();
    const checkpoint = subscription.position;
    expect(delivered.at(-1)!.globalPosition).toBe(checkpoint);
    subscription = store.subscribe({ after: checkpoint }, (e) => {
      delivered.push(e);
    });

    await Promise.all(writers);
    // Everyone else has committed; events numbered after the held one are stored and visible to SQL,
    // yet the subscriber must not have gone past the open transaction's position.
    const { rows: counts } = await held.client.query(
      `SELECT count(*) FILTER (WHERE global_position > $1)::int AS later,
              count(*) FILTER (WHERE global_position < $1)::int AS earlier FROM eventstore.events`,
      [held.position],
    );
    expect(counts[0].later).toBeGreaterThan(1000);
    await eventually(() => delivered.length === counts[0].earlier, 'everything before the held event');
    expect(delivered.every((e) => e.globalPosition < held!.position)).toBe(true);
    expect(await store.head()).toBeLessThan(held.position);

    await held.client.query('COMMIT');
    await held.client.end();
    await eventually(() => delivered.length === EVENTS + 1, `all ${EVENTS + 1} events`);
    await subscription.close();

    const ids = new Set(delivered.map((e) => e.id));
    expect(ids.size).toBe(EVENTS + 1);
    expect(delivered.some((e) => e.type === 'HeldOpen')).toBe(true);
    const positions = delivered.map((e) => e.globalPosition);
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
    const perStream = new Map<string, number>();
    for (const e of delivered) {
      expect(e.streamPosition).toBe((perStream.get(e.streamId) ?? 0) + 1);
      perStream.set(e.streamId, e.streamPosition);
    }
    expect(perStream.size).toBe(STREAMS + 1);
    expect(await store.verify()).toMatchObject({ ok: true, events: EVENTS + 1 });
  });
});
