import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { type EventStore, type NewEvent, openPglite, PostgresEventStore } from '@concord/event-store';
import { postgresAvailable } from '@concord/event-store/testing';
import { type GeneratedAppend, generateCoalition } from '@concord/generator';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildReadModels, compareReadModels, Projector, readModels, rebuild } from '../src/index.ts';
import { rebuildLimits } from '../src/projector/rebuild.ts';
import { type PostgresFixture, postgresFixture } from './support/database.ts';

describe('rebuild and swap', () => {
  let db: Kysely<unknown>;
  let store: PostgresEventStore;
  let projector: Projector;
  let later: GeneratedAppend[];

  const append = async (appends: GeneratedAppend[]) => {
    for (const { streamId, events, expectedVersion } of appends)
      await store.append(streamId, events, { expectedVersion });
  };

  beforeAll(async () => {
    ({ db } = await openPglite());
    store = new PostgresEventStore(db, { pollIntervalMs: 50 });
    await store.migrate();
    const appends = [...generateCoalition({ events: 4500, seed: 3 })];
    const cut = appends.length - 10;
    await append(appends.slice(0, cut));
    later = appends.slice(cut);
    projector = new Projector({ db, store, batchSize: 500 });
    await projector.start();
  });
  afterAll(async () => {
    await projector?.stop();
    await store?.close();
  });

  it('builds fresh tables while readers keep seeing the complete old views, then swaps them in', async () => {
    const views = readModels(db);
    const before = await views.checkpoint();
    const proposalsBefore = (await views.proposals({ limit: 1000 })).length;
    const progress: [number, number][] = [];
    const seenByReaders: Promise<number | undefined>[] = [];
    const result = await rebuild({
      db,
      store,
      batchSize: 1000,
      onProgress: (done, total) => {
        progress.push([done, total]);
        // A reader in the middle of the rebuild still sees the live, complete views.
        seenByReaders.push(views.checkpoint().then((checkpoint) => checkpoint?.events));
      },
    });
    expect(progress.length).toBeGreaterThan(2);
    for (const [done, total] of progress) expect(done).toBeLessThanOrEqual(total);
    expect(progress.at(-1)).toEqual([result.events, result.events]);
    expect(new Set(await Promise.all(seenByReaders))).toEqual(new Set([before?.events]));

    const after = await views.checkpoint();
    expect(after).toMatchObject({ position: before?.position, events: before?.events });
    expect((await views.proposals({ limit: 1000 })).length).toBe(proposalsBefore);
  });

  it('leaves the running projector following the swapped-in views', async () => {
    await append(later);
    await projector.waitFor(await store.head(), 30_000);
    const check = await buildReadModels({ db, store, schema: 'check' });
    expect(check.position).toBe(projector.position);
    const comparison = await compareReadModels(db, 'readmodel', 'check');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });

  it('builds the same tables from any event store through the port alone (no bulk COPY read)', async () => {
    // As a rebuild reads EventStoreDB/KurrentDB: `readAll` pages, not the PostgreSQL store's `scan`.
    const portOnly: EventStore = {
      append: (...args) => store.append(...args),
      readStream: (...args) => store.readStream(...args),
      readAll: (...args) => store.readAll(...args),
      subscribe: (...args) => store.subscribe(...args),
      streamVersions: (...args) => store.streamVersions(...args),
      streamVersion: (...args) => store.streamVersion(...args),
      head: () => store.head(),
      verify: () => store.verify(),
      close: async () => {},
    };
    const built = await buildReadModels({ db, store: portOnly, schema: 'through_port', batchSize: 700 });
    expect(built.position).toBe(await store.head());
    const comparison = await compareReadModels(db, 'readmodel', 'through_port');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });

  it('builds the same tables on a database whose driver it does not know (rows as JSON documents)', async () => {
    // A plain Kysely on the same database: no COPY; each flush inserts its rows as JSON documents while
    // the next page is applied, so rows appended during a flush must wait for the next one, not be lost.
    const plain = db.withoutPlugins();
    const built = await buildReadModels({ db: plain, store, schema: 'as_json', batchSize: 700 });
    expect(built.position).toBe(await store.head());
    const comparison = await compareReadModels(db, 'readmodel', 'as_json');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });

  it('builds the same tables in bounded memory: rows written out early are read back when touched again', async () => {
    // 60 entity rows at most, pages of 300 events: rows are written out and taken back many times over.
    const bounded = await buildReadModels({
      db,
      store,
      schema: 'bounded',
      batchSize: 300,
      maxEntityRows: 60,
    });
    expect(bounded.position).toBe(await store.head());
    const comparison = await compareReadModels(db, 'readmodel', 'bounded');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });

  it('holds smaller pages, fewer rows and less sort memory on PGlite, which shares the rebuild process and its memory', () => {
    expect(rebuildLimits(db)).toEqual({ pageSize: 2_500, maxEntityRows: 25_000, maintenanceWorkMem: '64MB' });
  });
});

describe.skipIf(!postgresAvailable)('rebuild in bounded memory on PostgreSQL', () => {
  let fixture: PostgresFixture;
  beforeAll(async () => {
    fixture = await postgresFixture('concord_bounded');
    for (const { streamId, events, expectedVersion } of generateCoalition({ events: 3000, seed: 5 }))
      await fixture.store.append(streamId, events, { expectedVersion });
    // What each bounded build must equal: the same history built with every row in memory.
    await buildReadModels({ db: fixture.db, store: fixture.store, schema: 'whole' });
  });
  afterAll(() => fixture?.close());

  it('holds larger pages and more rows on a PostgreSQL server, where each row written out costs a round trip', () => {
    expect(rebuildLimits(fixture.db)).toEqual({
      pageSize: 5_000,
      maxEntityRows: 250_000,
      maintenanceWorkMem: '256MB',
    });
  });

  it('writes rows out through COPY and takes them back by key: the same tables as in memory', async () => {
    const { db, store } = fixture;
    await buildReadModels({ db, store, schema: 'bounded', batchSize: 250, maxEntityRows: 50 });
    const comparison = await compareReadModels(db, 'whole', 'bounded');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });

  it('takes rows back while the previous page is still being written, a slice of the page at a time', async () => {
    const { db, store } = fixture;
    // Pages of 1,200 events are applied in three slices; every page after the first takes rows back.
    await buildReadModels({ db, store, schema: 'sliced', batchSize: 1200, maxEntityRows: 50 });
    const comparison = await compareReadModels(db, 'whole', 'sliced');
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(true);
  });
});

describe('histories earlier releases recorded', () => {
  // Events are forever: today's code must rebuild what any release stored. Each fixture is the first 600
  // events a release's own `pnpm bench replay` stored, exported as stored (JSON lines, gzipped).
  const fixtures = [
    {
      // The first release (2026-11-28), `--events 3000 --seed 9`: stances as "positions" (version 1),
      // invitations carrying the invited person's (generated, fictional) name (version 1, ADR 0012), and
      // no documents on proposals or comments.
      release: '046ceba',
      file: 'history-046ceba.jsonl.gz',
    },
    {
      // The code of 2026-12-02, `--events 200000 --seed 8`: proposals and comments without `attachments`,
      // which came later with a default in the same schema version (ADR 0031).
      release: '2bb7d88',
      file: 'history-2bb7d88.jsonl.gz',
    },
  ];

  it.each(fixtures)('rebuilds what $release stored, as the live projector reads it', async ({ file }) => {
    const stored = gunzipSync(readFileSync(new URL(`./fixtures/${file}`, import.meta.url)))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as NewEvent & { streamId: string; streamPosition: number });
    expect(stored).toHaveLength(600);
    expect(
      stored.some(
        (event) => event.type === 'ProposalCommented' && !('attachments' in (event.data as object)),
      ),
    ).toBe(true);
    const { db } = await openPglite();
    const store = new PostgresEventStore(db, { pollIntervalMs: 50 });
    onTestFinished(() => store.close());
    await store.migrate();
    for (const { streamId, streamPosition, id, type, data, metadata } of stored) {
      await store.append(streamId, [{ id, type, data, metadata }], { expectedVersion: streamPosition - 1 });
    }
    // The rebuild first: it is what failed (a NOT NULL column), and it fails at once.
    const built = await buildReadModels({ db, store, schema: 'rebuilt', batchSize: 150 });
    expect(built.events).toBe(600);
    const projector = new Projector({ db, store, batchSize: 100 });
    try {
      await projector.start();
      await projector.waitFor(await store.head(), 30_000);
      const comparison = await compareReadModels(db, 'readmodel', 'rebuilt');
      expect(comparison.differences).toEqual([]);
      expect(comparison.identical).toBe(true);
    } finally {
      await projector.stop();
    }
  });
});
