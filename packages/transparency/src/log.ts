/**
 * The witnessed log of a Concord store: an RFC 9162 Merkle tree whose leaves are the events' stored
 * hashes in final global order, fed from the store, proving inclusion and consistency, and signing C2SP
 * checkpoints.
 *
 *     const log = await TransparencyLog.open(db);            // tables in schema "transparency"
 *     await log.sync(store);                                 // new events → leaves (resumes where it was)
 *     const note = await log.checkpoint(signer, { origin }); // signed checkpoint of the current tree
 *     await log.inclusionProof(index, size); await log.consistencyProof(from, to);
 * @module
 */
import type { Kysely } from 'kysely';
import { fromHex } from './bytes.ts';
import { formatCheckpoint } from './checkpoint.ts';
import { KyselyTreeStorage, migrateTransparency } from './kysely-storage.ts';
import { type Ed25519Signer, signNote } from './signer.ts';
import { MemoryTreeStorage, type StoredCheckpoint, type TreeStorage } from './storage.ts';
import { type Leaf, MerkleTree, RootAccumulator } from './tree.ts';

/**
 * Where leaves come from: an event store's `readAll` (an `EventStore` fits as it is), which returns only
 * a prefix of the final global order (positions below the store's read horizon). `readHashes`, when the
 * store has it, returns only positions and raw hashes, for speed.
 */
export interface LeafSource {
  readAll(options: {
    after: number;
    limit: number;
  }): Promise<readonly { globalPosition: number; hash: string }[]>;
  readHashes?(options: {
    after: number;
    limit: number;
  }): Promise<readonly { globalPosition: number; hash: Uint8Array }[]>;
}

/** One page of leaves from a source, after a position. */
async function readLeaves(source: LeafSource, after: number, limit: number): Promise<Leaf[]> {
  if (source.readHashes) {
    const page = await source.readHashes({ after, limit });
    return page.map((e) => ({ position: e.globalPosition, hash: e.hash }));
  }
  const page = await source.readAll({ after, limit });
  return page.map((e) => ({ position: e.globalPosition, hash: fromHex(e.hash) }));
}

/** What an audit found: whether the stored tree is the tree of the source's events. */
export interface AuditResult {
  ok: boolean;
  /** The log's size, and its root at that size. */
  size: number;
  root: Uint8Array;
  /** The root of the source's first `size` events (undefined when it has fewer). */
  recomputed: Uint8Array | undefined;
  /** Events the source had up to the log's last position. */
  sourceLeaves: number;
}

/** Leaves read and appended per page when feeding the tree. */
const DEFAULT_BATCH = 10_000;

export class TransparencyLog {
  /** Serializes writes (sync, append, checkpoint) in this process. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly storage: TreeStorage,
    public tree: MerkleTree,
  ) {}

  /** The log in `db` (PostgreSQL or PGlite), its tables created or upgraded in `schema`. */
  static async open(db: Kysely<unknown>, options: { schema?: string } = {}): Promise<TransparencyLog> {
    const schema = options.schema ?? 'transparency';
    await migrateTransparency(db, schema);
    return TransparencyLog.fromStorage(new KyselyTreeStorage(db, schema));
  }

  /** A log kept in memory. */
  static inMemory(): Promise<TransparencyLog> {
    return TransparencyLog.fromStorage(new MemoryTreeStorage());
  }

  static async fromStorage(storage: TreeStorage): Promise<TransparencyLog> {
    return new TransparencyLog(storage, await MerkleTree.load(storage));
  }

  #serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => {});
    return run;
  }

  get size(): number {
    return this.tree.size;
  }

  /** Global position of the last event in the log (0 when empty). */
  get lastPosition(): number {
    return this.tree.lastPosition;
  }

  /** The current root. */
  root(): Uint8Array {
    return this.tree.root();
  }

  /** Re-reads the stored tree (another process may have appended). */
  reload(): Promise<void> {
    return this.#serialized(async () => {
      this.tree = await MerkleTree.load(this.storage);
    });
  }

  /** Appends leaves directly (positions increasing, after `lastPosition`). */
  append(leaves: readonly Leaf[]): Promise<void> {
    return this.#serialized(() => this.tree.append(leaves));
  }

  /**
   * Feeds every event the source has after `lastPosition`, in pages of `batchSize`, each page one atomic
   * append. Idempotent: it resumes from the stored size, and a second feeder finds the size moved
   * (`TreeConflictError`) rather than appending twice.
   */
  sync(source: LeafSource, options: { batchSize?: number } = {}): Promise<{ added: number; size: number }> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    return this.#serialized(async () => {
      let added = 0;
      let page = readLeaves(source, this.tree.lastPosition, batchSize);
      for (;;) {
        const leaves = await page;
        const full = leaves.length === batchSize;
        // The next page is read while this one is hashed and written (it starts after this page's last).
        if (full) page = readLeaves(source, leaves.at(-1)!.position, batchSize);
        try {
          await this.tree.append(leaves);
        } catch (error) {
          if (full) page.catch(() => {});
          throw error;
        }
        added += leaves.length;
        if (!full) return { added, size: this.tree.size };
      }
    });
  }

  /**
   * Keeps the log following the source: syncs until caught up, then waits `pollIntervalMs` (or until
   * `wake()`, e.g. on the store's append signal) before looking again. For the primary's feeder;
   * `onSynced` sees each batch that moved the tree (e.g. to sign a checkpoint), `onError` each failure (the
   * loop carries on after `pollIntervalMs`).
   */
  follow(
    source: LeafSource,
    options: {
      pollIntervalMs?: number;
      batchSize?: number;
      onSynced?: (result: { added: number; size: number }) => void | Promise<void>;
      onError?: (error: unknown) => void;
    } = {},
  ): { wake(): void; close(): Promise<void> } {
    const interval = options.pollIntervalMs ?? 200;
    let closed = false;
    // A wake while syncing makes the next pause end at once, so no append is left waiting an interval.
    let woken = false;
    let wakeUp: (() => void) | undefined;
    const pause = () =>
      new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          resolve();
          return;
        }
        const timer = setTimeout(resolve, interval);
        wakeUp = () => {
          wakeUp = undefined;
          clearTimeout(timer);
          resolve();
        };
      });
    const wake = () => {
      if (wakeUp) wakeUp();
      else woken = true;
    };
    const loop = (async () => {
      while (!closed) {
        try {
          woken = false;
          const result = await this.sync(source, { batchSize: options.batchSize });
          // `sync` reads until it is caught up; the next look waits for the interval (or a wake) even
          // while events keep coming, so under load the feeder costs one read and one write per
          // interval rather than a loop beside every append.
          if (result.added > 0) await options.onSynced?.(result);
        } catch (error) {
          options.onError?.(error);
        }
        if (!closed) await pause();
      }
    })();
    return {
      wake,
      async close() {
        closed = true;
        wake();
        await loop;
      },
    };
  }

  /**
   * Signs a checkpoint of the current tree with the instance key, keeps it, and returns the signed note:
   * `origin`, size, base64 root, any `extensions`, a blank line, the signature line.
   */
  checkpoint(signer: Ed25519Signer, options: { origin: string; extensions?: string[] }): Promise<string> {
    return this.#serialized(async () => {
      const text = formatCheckpoint({
        origin: options.origin,
        size: this.tree.size,
        root: this.tree.root(),
        extensions: options.extensions ?? [],
      });
      const note = signNote(text, [signer]);
      await this.storage.saveCheckpoint({ size: this.tree.size, note });
      return note;
    });
  }

  /** Keeps a checkpoint note for its size, e.g. once witnesses' cosignatures were added to it. */
  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    return this.storage.saveCheckpoint(checkpoint);
  }

  /** The latest signed checkpoint kept (or the one of `size`). */
  async latestCheckpoint(size?: number): Promise<StoredCheckpoint | undefined> {
    return this.storage.checkpoint(size);
  }

  /** The root at an earlier size. */
  rootAt(size: number): Promise<Uint8Array> {
    return this.tree.rootAt(size);
  }

  /** The inclusion proof of leaf `index` in the tree of `size` leaves (the current size by default). */
  inclusionProof(index: number, size: number = this.tree.size): Promise<Uint8Array[]> {
    return this.tree.inclusionProof(index, size);
  }

  /** The consistency proof from size `from` to size `to` (the current size by default). */
  consistencyProof(from: number, to: number = this.tree.size): Promise<Uint8Array[]> {
    return this.tree.consistencyProof(from, to);
  }

  /** The leaf index of the event at a global position, when the log holds it. */
  indexOf(position: number): Promise<number | undefined> {
    return this.storage.indexOf(position);
  }

  /**
   * Everything a client needs to check that the event at `position` is in the tree of `size` leaves:
   * its leaf index, leaf hash and inclusion proof. Undefined when the tree of that size does not hold it.
   */
  async proveEvent(
    position: number,
    size: number = this.tree.size,
  ): Promise<{ index: number; size: number; leafHash: Uint8Array; proof: Uint8Array[] } | undefined> {
    const index = await this.storage.indexOf(position);
    if (index === undefined || index >= size) return undefined;
    const [leafHash, proof] = await Promise.all([
      this.tree.leafHash(index),
      this.tree.inclusionProof(index, size),
    ]);
    return { index, size, leafHash, proof };
  }

  /**
   * Recomputes the tree from the source's events (reading the whole history, O(log n) memory) and
   * compares its root with the stored one: a stored tree that no longer matches the events (an event
   * rewritten, removed or inserted in the database after it was logged) shows here, as it shows to
   * every witness holding an earlier checkpoint.
   */
  async audit(source: LeafSource, options: { batchSize?: number } = {}): Promise<AuditResult> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const size = this.tree.size;
    const last = this.tree.lastPosition;
    const root = this.tree.root();
    const accumulator = new RootAccumulator();
    let after = 0;
    let sourceLeaves = 0;
    let rootAtSize: Uint8Array | undefined = size === 0 ? accumulator.root() : undefined;
    for (;;) {
      const leaves = await readLeaves(source, after, batchSize);
      for (const leaf of leaves) {
        if (leaf.position > last) break;
        sourceLeaves++;
        accumulator.push(leaf.hash);
        if (accumulator.size === size) rootAtSize = accumulator.root();
      }
      const end = leaves.at(-1);
      if (leaves.length < batchSize || !end || end.position >= last) break;
      after = end.position;
    }
    const ok = sourceLeaves === size && rootAtSize !== undefined && Buffer.compare(rootAtSize, root) === 0;
    return { ok, size, root, recomputed: rootAtSize, sourceLeaves };
  }
}
