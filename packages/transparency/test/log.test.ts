import { randomUUID } from 'node:crypto';
import {
  contentDigest,
  openPglite,
  openPostgres,
  PostgresEventStore,
  verifyExportLines,
} from '@concord/event-store';
import {
  createTestDatabase,
  newEvent as event,
  eventually,
  exportLines,
  pgliteAsSuperuser,
  postgresAsSuperuser,
  postgresAvailable,
} from '@concord/event-store/testing';
import { openForSuite } from '@concord/event-store/testing/suite';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  CHUNK,
  COSIGNATURE_TYPE,
  Ed25519Signer,
  fromHex,
  KyselyTreeStorage,
  MemoryTreeStorage,
  MemoryWitnessState,
  MerkleTree,
  migrateTransparency,
  RootAccumulator,
  sha256,
  TransparencyLog,
  TreeConflictError,
  toHex,
  verifyCheckpoint,
  verifyConsistency,
  verifyEventInclusion,
  verifyExport,
  Witness,
  webCrypto,
} from '../src/index.ts';

const ORIGIN = 'concord.example/coalition';
const logKey = Ed25519Signer.fromSeed(ORIGIN, new Uint8Array(32).fill(9));
const witnessKey = Ed25519Signer.fromSeed('witness.example/w1', new Uint8Array(32).fill(8), COSIGNATURE_TYPE);

interface Target {
  db: Kysely<unknown>;
  store: PostgresEventStore;
  /** SQL with every trigger lifted, as a superuser could. */
  asSuperuser(statements: string): Promise<void>;
  /** A second connection that can hold a transaction open (PostgreSQL only). */
  url?: string;
  close(): Promise<void>;
}

/** Feeds the log until it holds `size` leaves (the read horizon may lag behind another open transaction). */
async function syncTo(log: TransparencyLog, store: PostgresEventStore, size: number) {
  await eventually(async () => (await log.sync(store, { batchSize: 7 })).size >= size, `the log at ${size}`);
  expect(log.size).toBe(size);
}

async function allHashes(store: PostgresEventStore): Promise<string[]> {
  const out: string[] = [];
  for await (const e of store.allStored()) out.push(e.hash);
  return out;
}

function rootOf(hashes: readonly string[]): Uint8Array {
  const accumulator = new RootAccumulator();
  for (const hash of hashes) accumulator.push(fromHex(hash));
  return accumulator.root();
}

async function appendSome(store: PostgresEventStore, streams: number, perStream: number) {
  const ids = Array.from({ length: streams }, () => `log-${randomUUID()}`);
  for (let round = 0; round < perStream; round++) {
    for (const id of ids) await store.append(id, [event('Step', { round, text: 'ünï “quoted” \u202e' })]);
  }
  return ids;
}

function describeLog(name: string, open: () => Promise<Target>) {
  describe(`the witnessed log over an event store: ${name}`, () => {
    const target = openForSuite(open);
    const store = () => target().store;

    it('feeds every event hash in global order, resumes where it was, and proves inclusion and consistency', async () => {
      await appendSome(store(), 4, 5);
      const log = await TransparencyLog.open(target().db, { schema: 'transparency' });
      await syncTo(log, store(), 20);
      expect(toHex(log.root())).toBe(toHex(rootOf(await allHashes(store()))));
      const first = await log.checkpoint(logKey, { origin: ORIGIN });

      // Resumes: nothing twice, and a reopened log (another process) starts where this one is.
      expect(await log.sync(store())).toEqual({ added: 0, size: 20 });
      await appendSome(store(), 3, 4);
      const reopened = await TransparencyLog.open(target().db, { schema: 'transparency' });
      expect(reopened.size).toBe(20);
      await syncTo(reopened, store(), 32);
      const second = await reopened.checkpoint(logKey, { origin: ORIGIN });
      const hashes = await allHashes(store());
      expect(toHex(reopened.root())).toBe(toHex(rootOf(hashes)));
      expect((await reopened.latestCheckpoint())?.note).toBe(second);

      const crypto = webCrypto();
      const old = await verifyCheckpoint(first, { logKey: logKey.verifierKey, crypto });
      const now = await verifyCheckpoint(second, { logKey: logKey.verifierKey, crypto });
      expect(
        await verifyConsistency(crypto, {
          fromSize: old.checkpoint.size,
          toSize: now.checkpoint.size,
          fromRoot: old.checkpoint.root,
          toRoot: now.checkpoint.root,
          proof: await reopened.consistencyProof(old.checkpoint.size, now.checkpoint.size),
        }),
      ).toBe(true);
      // Every event is proved in the current tree, and those of the first checkpoint in its tree too.
      let index = 0;
      for await (const e of store().allStored()) {
        const now32 = await reopened.proveEvent(e.globalPosition, 32);
        expect(now32?.index).toBe(index);
        expect(
          await verifyEventInclusion(crypto, {
            eventHash: e.hash,
            index,
            proof: now32!.proof,
            checkpoint: now.checkpoint,
          }),
        ).toBe(true);
        const then = await reopened.proveEvent(e.globalPosition, 20);
        if (index < 20) {
          expect(
            await verifyEventInclusion(crypto, {
              eventHash: e.hash,
              index,
              proof: then!.proof,
              checkpoint: old.checkpoint,
            }),
          ).toBe(true);
        } else {
          expect(then).toBeUndefined();
        }
        index++;
      }
      expect(await reopened.proveEvent(12345)).toBeUndefined();
    });

    it('a rebuild from the events gives the same tree; an audit finds the tree matches the events', async () => {
      const log = await TransparencyLog.open(target().db, { schema: 'transparency' });
      await syncTo(log, store(), log.size);
      const rebuilt = await TransparencyLog.open(target().db, { schema: 'transparency_rebuild' });
      await syncTo(rebuilt, store(), log.size);
      for (const size of [0, 1, 2, 7, 16, 20, log.size]) {
        expect(toHex(await rebuilt.rootAt(size))).toBe(toHex(await log.rootAt(size)));
      }
      expect(await rebuilt.consistencyProof(5, log.size)).toEqual(await log.consistencyProof(5, log.size));
      const audit = await log.audit(store());
      expect(audit).toMatchObject({ ok: true, size: log.size, sourceLeaves: log.size });
    });

    it('two feeders of one tree: the second finds the size moved and appends nothing twice', async () => {
      const a = await TransparencyLog.open(target().db, { schema: 'transparency' });
      const b = await TransparencyLog.open(target().db, { schema: 'transparency' });
      const before = a.size;
      await appendSome(store(), 2, 1);
      await syncTo(a, store(), before + 2);
      await expect(b.sync(store())).rejects.toThrow(TreeConflictError);
      await b.reload();
      expect(b.size).toBe(before + 2);
      expect(toHex(b.root())).toBe(toHex(a.root()));
    });

    it('a rewrite that fools the chain (every hash recomputed, heads too) is caught by the log and its witness', async () => {
      const log = await TransparencyLog.open(target().db, { schema: 'transparency' });
      const [victimStream] = await appendSome(store(), 1, 3);
      await syncTo(log, store(), log.size + 3);
      const witness = await Witness.create({
        cosigner: witnessKey,
        logs: { [ORIGIN]: [logKey.verifierKey] },
        state: new MemoryWitnessState(),
      });
      const held = await log.checkpoint(logKey, { origin: ORIGIN });
      expect(await witness.cosign({ oldSize: 0, proof: [], checkpoint: held })).toMatchObject({ ok: true });
      const exportBefore = await exportLines(store());

      // The DB admin changes the stream's first event and recomputes its chain and head.
      const events = await store().readStream(victimStream!);
      let previous: Buffer = Buffer.alloc(32);
      const updates: string[] = [];
      for (const e of events) {
        const data = e.streamPosition === 1 ? { round: 0, text: 'rewritten' } : e.data;
        const digest = contentDigest({
          streamId: e.streamId,
          id: e.id,
          type: e.type,
          dataJson: JSON.stringify(data),
          metadataJson: JSON.stringify(e.metadata),
        });
        const { eventHash } = await import('@concord/event-store');
        previous = eventHash(previous, digest, {
          streamPosition: e.streamPosition,
          globalPosition: e.globalPosition,
          recordedAtMs: e.recordedAt.getTime(),
        });
        updates.push(
          `UPDATE eventstore.events SET data = '${JSON.stringify(data)}', hash = '\\x${previous.toString('hex')}' WHERE global_position = ${e.globalPosition}`,
        );
      }
      updates.push(
        `UPDATE eventstore.streams SET head_hash = '\\x${previous.toString('hex')}' WHERE stream_id = '${victimStream}'`,
      );
      await target().asSuperuser(updates.join(';'));

      // The chain alone cannot tell: this is why the log exists.
      expect(await store().verify()).toMatchObject({ ok: true });
      const exportAfter = await exportLines(store());
      expect(await verifyExportLines(exportAfter)).toMatchObject({ ok: true });

      // The stored tree no longer matches the events.
      expect(await log.audit(store())).toMatchObject({ ok: false });
      // A tree rebuilt from the rewritten events, signed with the instance key: the witness refuses it.
      const forged = await TransparencyLog.open(target().db, {
        schema: `forged_${randomUUID().slice(0, 8)}`,
      });
      await syncTo(forged, store(), log.size);
      const forgedNote = await forged.checkpoint(logKey, { origin: ORIGIN });
      expect(await witness.cosign({ oldSize: log.size, proof: [], checkpoint: forgedNote })).toMatchObject({
        ok: false,
        reason: 'fork',
      });
      await appendSome(store(), 1, 1);
      await syncTo(forged, store(), log.size + 1);
      const grown = await forged.checkpoint(logKey, { origin: ORIGIN });
      expect(
        await witness.cosign({
          oldSize: log.size,
          proof: await forged.consistencyProof(log.size),
          checkpoint: grown,
        }),
      ).toMatchObject({ ok: false, reason: 'inconsistent' });
      // And an auditor holding the witnessed checkpoint: the export before matches it, the one after does not.
      const hashesOf = (lines: string[]) =>
        lines.filter((l) => !l.startsWith('{"streamHead"')).map((l) => JSON.parse(l).hash as string);
      expect(
        await verifyExport(hashesOf(exportBefore), { checkpoint: held, logKey: logKey.verifierKey }),
      ).toMatchObject({
        ok: true,
      });
      expect(
        await verifyExport(hashesOf(exportAfter), { checkpoint: held, logKey: logKey.verifierKey }),
      ).toMatchObject({
        ok: false,
        problem: 'root_mismatch',
      });
    });
  });
}

describeLog('PGlite', async () => {
  const { db, pglite } = await openPglite();
  const store = new PostgresEventStore(db);
  await store.migrate();
  return {
    db,
    store,
    asSuperuser: pgliteAsSuperuser(pglite),
    close: async () => {
      await store.close();
      await db.destroy();
    },
  };
});

describe('the stored tree (PGlite)', () => {
  it('serves the same proofs as a tree in memory while rows fill, with a cache that keeps only full rows', async () => {
    const { db } = await openPglite();
    try {
      await migrateTransparency(db);
      // A tiny cache (two rows) so rows are evicted and read again as the tree grows past row boundaries.
      const stored = await MerkleTree.load(
        new KyselyTreeStorage(db, 'transparency', { cacheBytes: 2 * 32 * CHUNK }),
      );
      const memory = await MerkleTree.load(new MemoryTreeStorage());
      const leafFor = (i: number) => sha256(Uint8Array.of(i % 256, Math.floor(i / 256)));
      let position = 0;
      for (const batch of [5, 27, 1, 40, 31, 33, 64, 3]) {
        const leaves = Array.from({ length: batch }, () => ({
          position: ++position,
          hash: leafFor(position),
        }));
        await stored.append(leaves);
        await memory.append(leaves);
        const size = stored.size;
        // Every size so far: roots and consistency to now; a spread of leaves: inclusion.
        for (let m = 1; m <= size; m += 7) {
          expect(toHex(await stored.rootAt(m))).toBe(toHex(await memory.rootAt(m)));
          expect((await stored.consistencyProof(m, size)).map(toHex)).toEqual(
            (await memory.consistencyProof(m, size)).map(toHex),
          );
          expect((await stored.inclusionProof(m - 1, size)).map(toHex)).toEqual(
            (await memory.inclusionProof(m - 1, size)).map(toHex),
          );
        }
      }
      // A reload (another process, an empty cache) reads the same tree.
      const reloaded = await MerkleTree.load(new KyselyTreeStorage(db));
      expect(toHex(reloaded.root())).toBe(toHex(memory.root()));
      expect((await reloaded.inclusionProof(100)).map(toHex)).toEqual(
        (await memory.inclusionProof(100)).map(toHex),
      );
    } finally {
      await db.destroy();
    }
  });
});

describe('following a store (PGlite)', () => {
  it('syncs at once, then when woken by an append, without waiting its interval; closes cleanly', async () => {
    const { db } = await openPglite();
    const store = new PostgresEventStore(db);
    await store.migrate();
    try {
      await appendSome(store, 2, 2);
      const log = await TransparencyLog.open(db);
      const synced: number[] = [];
      const errors: unknown[] = [];
      // An hour between looks: only the first sync and wake() can move it within the test's time.
      const follower = log.follow(store, {
        pollIntervalMs: 3_600_000,
        onSynced: ({ size }) => {
          synced.push(size);
        },
        onError: (error) => errors.push(error),
      });
      await eventually(() => log.size === 4, 'the first sync');
      await appendSome(store, 3, 1);
      follower.wake();
      await eventually(() => log.size === 7, 'the woken sync');
      await follower.close();
      expect(synced).toEqual([4, 7]);
      expect(errors).toEqual([]);
      expect(toHex(log.root())).toBe(toHex(rootOf(await allHashes(store))));
    } finally {
      await store.close();
      await db.destroy();
    }
  });
});

if (postgresAvailable) {
  describeLog('PostgreSQL', async () => {
    const database = await createTestDatabase('concord_tlog');
    const db = openPostgres(database.url, 4);
    const store = new PostgresEventStore(db);
    await store.migrate();
    return {
      db,
      store,
      url: database.url,
      asSuperuser: postgresAsSuperuser(database.url),
      close: async () => {
        await store.close();
        await db.destroy();
        await database.drop();
      },
    };
  });

  describe('the witnessed log and a late commit (PostgreSQL)', () => {
    it('never logs past an open append, and logs it in its final place once it commits', async () => {
      const database = await createTestDatabase('concord_tlog_late');
      const db = openPostgres(database.url, 4);
      const store = new PostgresEventStore(db);
      await store.migrate();
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        await appendSome(store, 2, 2);
        const log = await TransparencyLog.open(db);
        await syncTo(log, store, 4);
        // An append that takes its transaction id now and commits later.
        const late = event('Late');
        const dataJson = JSON.stringify(late.data);
        const metadataJson = JSON.stringify(late.metadata);
        const streamId = `late-${randomUUID()}`;
        const digest = contentDigest({ streamId, id: late.id, type: late.type, dataJson, metadataJson });
        await client.query('BEGIN');
        await client.query(
          `select * from eventstore.append($1, 'any', 0, $2::text, $3::text, $4::text, $5::text, $6::bytea)`,
          [streamId, late.id, JSON.stringify([late.type]), `[${dataJson}]`, `[${metadataJson}]`, digest],
        );
        await appendSome(store, 2, 1);
        // The two later appends committed, but the open one holds the horizon: none of them is logged.
        await log.sync(store);
        expect(log.size).toBe(4);
        await client.query('COMMIT');
        await syncTo(log, store, 7);
        const hashes = await allHashes(store);
        expect(toHex(log.root())).toBe(toHex(rootOf(hashes)));
        const lateEvent = (await store.readStream(streamId))[0]!;
        expect((await log.proveEvent(lateEvent.globalPosition))?.index).toBe(4);
      } finally {
        await client.end();
        await store.close();
        await db.destroy();
        await database.drop();
      }
    });
  });
} else {
  console.warn('[transparency] PostgreSQL suites SKIPPED: no PostgreSQL server reachable.');
}
