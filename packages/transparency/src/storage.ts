/**
 * Where a Merkle tree keeps its complete subtrees, behind a small interface: `MemoryTreeStorage` here
 * (tests, throwaway logs) and `KyselyTreeStorage` (PostgreSQL or PGlite) in kysely-storage.ts.
 *
 * Every complete, aligned subtree — level L, index i covers leaves `[i·2^L, (i+1)·2^L)` — is stored once
 * it is complete, leaves (level 0) included. So any root, inclusion proof or consistency proof needs only
 * O(log n) stored hashes (`rangeNodes`), and appending a leaf writes one leaf hash plus, on average, one
 * node. The storage also keeps each leaf's global position in the event store, the tree's size, and the
 * checkpoints the log signed.
 * @module
 */
import type { NodeKey } from './rfc9162.ts';

/** What a stored tree is: its size, and the global position of its last leaf's event (0 when empty). */
export interface TreeState {
  size: number;
  lastPosition: number;
}

/**
 * The subtrees an append completed at one level: they are always consecutive, from `firstIndex` on, and
 * their hashes come one after the other in `hashes` (32 bytes each).
 */
export interface LevelRun {
  level: number;
  firstIndex: number;
  hashes: Uint8Array;
}

/** One atomic append: leaves `[fromSize, toSize)` and every subtree they complete. */
export interface AppendBatch {
  fromSize: number;
  toSize: number;
  /** Each new leaf's event position, strictly increasing, all after the stored `lastPosition`. */
  positions: readonly number[];
  /** Per level (0: the leaf hashes), the subtrees completed, in level order. */
  levels: readonly LevelRun[];
}

/** A signed checkpoint the log keeps: its size and the whole signed note. */
export interface StoredCheckpoint {
  size: number;
  note: string;
}

/** Thrown when another writer appended first: the stored size is no longer the one appended to. */
export class TreeConflictError extends Error {
  constructor(expected: number, found: number) {
    super(`the tree is at size ${found}, not ${expected}: another writer appended`);
    this.name = 'TreeConflictError';
  }
}

export interface TreeStorage {
  /** The stored size and last position. */
  state(): Promise<TreeState>;
  /** The hashes of these complete subtrees, in the order asked. Throws when one is not stored. */
  nodes(keys: readonly NodeKey[]): Promise<Uint8Array[]>;
  /** Writes the batch and moves the size, all or nothing; `TreeConflictError` when the size moved. */
  append(batch: AppendBatch): Promise<void>;
  /** The index of the leaf whose event is at `position`, or undefined. */
  indexOf(position: number): Promise<number | undefined>;
  /** The event position of leaf `index`, or undefined. */
  positionOf(index: number): Promise<number | undefined>;
  /** Keeps a signed checkpoint (replacing a note kept for the same size, e.g. with cosignatures added). */
  saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void>;
  /** The checkpoint of the largest size kept, or the one of `size`. */
  checkpoint(size?: number): Promise<StoredCheckpoint | undefined>;
}

/** A tree kept in memory. */
export class MemoryTreeStorage implements TreeStorage {
  /** Per level, every complete subtree's hash by index. */
  readonly #levels: Uint8Array[][] = [];
  readonly #positions: number[] = [];
  readonly #checkpoints = new Map<number, string>();
  #state: TreeState = { size: 0, lastPosition: 0 };

  async state(): Promise<TreeState> {
    return { ...this.#state };
  }

  async nodes(keys: readonly NodeKey[]): Promise<Uint8Array[]> {
    return keys.map(({ level, index }) => {
      const hash = this.#levels[level]?.[index];
      if (!hash) throw new Error(`node ${level}/${index} is not stored`);
      return hash;
    });
  }

  async append(batch: AppendBatch): Promise<void> {
    if (batch.fromSize !== this.#state.size) throw new TreeConflictError(batch.fromSize, this.#state.size);
    for (const { level, firstIndex, hashes } of batch.levels) {
      const stored = this.#levels[level] ?? [];
      this.#levels[level] = stored;
      if (stored.length !== firstIndex)
        throw new Error(`level ${level} has ${stored.length} nodes, not ${firstIndex}`);
      for (let offset = 0; offset < hashes.length; offset += 32)
        stored.push(hashes.slice(offset, offset + 32));
    }
    this.#positions.push(...batch.positions);
    this.#state = { size: batch.toSize, lastPosition: batch.positions.at(-1) ?? this.#state.lastPosition };
  }

  async indexOf(position: number): Promise<number | undefined> {
    let low = 0;
    let high = this.#positions.length - 1;
    while (low <= high) {
      const mid = Math.floor((low + high) / 2);
      const value = this.#positions[mid]!;
      if (value === position) return mid;
      if (value < position) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  async positionOf(index: number): Promise<number | undefined> {
    return this.#positions[index];
  }

  async saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    this.#checkpoints.set(checkpoint.size, checkpoint.note);
  }

  async checkpoint(size?: number): Promise<StoredCheckpoint | undefined> {
    let at = size ?? -1;
    if (size === undefined) for (const kept of this.#checkpoints.keys()) at = Math.max(at, kept);
    const note = this.#checkpoints.get(at);
    return note === undefined ? undefined : { size: at, note };
  }
}
