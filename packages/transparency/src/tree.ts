/**
 * An append-only RFC 9162 Merkle tree over a `TreeStorage`. Appending costs O(1) hashes and writes
 * amortized per leaf (O(log n) at worst); the tree's current root comes from the O(log n) complete
 * subtrees on its right edge, kept in memory; roots of earlier sizes and inclusion and consistency
 * proofs read O(log n) stored subtrees in one storage call, never the history.
 * @module
 */
import { EMPTY_ROOT, hashLeaf, hashNode } from './node-crypto.ts';
import { consistencyRanges, inclusionRanges, type LeafRange, type NodeKey, rangeNodes } from './rfc9162.ts';
import type { LevelRun, TreeStorage } from './storage.ts';

/** A leaf to append: the event's stored hash (32 bytes) and its global position. */
export interface Leaf {
  position: number;
  hash: Uint8Array;
}

/** Folds subtree hashes from the right: the hash of the range they make up. */
function fold(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashNode(hashes[i]!, acc);
  return acc;
}

export class MerkleTree {
  /** `frontier[level]`: the complete subtree at that level on the right edge, where the size has that bit. */
  #frontier: (Uint8Array | undefined)[];
  #size: number;
  #lastPosition: number;

  private constructor(
    readonly storage: TreeStorage,
    size: number,
    lastPosition: number,
    frontier: (Uint8Array | undefined)[],
  ) {
    this.#size = size;
    this.#lastPosition = lastPosition;
    this.#frontier = frontier;
  }

  /** The tree kept in `storage`, with its right edge read (O(log n) subtrees). */
  static async load(storage: TreeStorage): Promise<MerkleTree> {
    const { size, lastPosition } = await storage.state();
    const keys = rangeNodes(0, size);
    const hashes = await storage.nodes(keys);
    const frontier: (Uint8Array | undefined)[] = [];
    keys.forEach((key, i) => {
      frontier[key.level] = hashes[i];
    });
    return new MerkleTree(storage, size, lastPosition, frontier);
  }

  get size(): number {
    return this.#size;
  }

  /** Global position of the last leaf's event (0 when empty): where feeding resumes. */
  get lastPosition(): number {
    return this.#lastPosition;
  }

  /** The current root (no storage read). */
  root(): Uint8Array {
    let acc: Uint8Array | undefined;
    for (const hash of this.#frontier) {
      if (hash) acc = acc ? hashNode(hash, acc) : hash;
    }
    return acc ?? EMPTY_ROOT;
  }

  /**
   * Appends leaves (positions strictly increasing, after `lastPosition`) in one storage write. The
   * in-memory edge moves only once the storage has taken the batch.
   */
  async append(leaves: readonly Leaf[]): Promise<void> {
    if (leaves.length === 0) return;
    const from = this.#size;
    const to = from + leaves.length;
    // At each level, the new complete subtrees are consecutive: those below `to` and not below `from`.
    // A level without any has none above it either, so `levels[level]` is that level's run.
    const levels: LevelRun[] = [];
    for (let level = 0, width = 1; width <= to; level++, width *= 2) {
      const firstIndex = Math.floor(from / width);
      const count = Math.floor(to / width) - firstIndex;
      if (count === 0) break;
      levels.push({ level, firstIndex, hashes: new Uint8Array(32 * count) });
    }
    const frontier = [...this.#frontier];
    const written = levels.map(() => 0);
    const positions: number[] = new Array(leaves.length);
    let size = from;
    let last = this.#lastPosition;
    for (let i = 0; i < leaves.length; i++) {
      const leaf = leaves[i]!;
      if (!Number.isSafeInteger(leaf.position) || leaf.position <= last) {
        throw new Error(`leaf positions must increase: ${leaf.position} after ${last}`);
      }
      if (leaf.hash.length !== 32) throw new Error('a leaf is a 32-byte event hash');
      last = leaf.position;
      positions[i] = leaf.position;
      let hash = hashLeaf(leaf.hash);
      let level = 0;
      let index = size;
      levels[0]!.hashes.set(hash, 32 * written[0]!++);
      while (index % 2 === 1) {
        hash = hashNode(frontier[level]!, hash);
        frontier[level] = undefined;
        level++;
        index = (index - 1) / 2;
        levels[level]!.hashes.set(hash, 32 * written[level]!++);
      }
      frontier[level] = hash;
      size++;
    }
    await this.storage.append({ fromSize: from, toSize: to, positions, levels });
    this.#frontier = frontier;
    this.#size = to;
    this.#lastPosition = last;
  }

  #checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.#size) {
      throw new RangeError(`the tree has ${this.#size} leaves, not ${size}`);
    }
  }

  /** The hashes of several ranges, with one storage read for all their subtrees. */
  async #ranges(ranges: readonly LeafRange[]): Promise<Uint8Array[]> {
    const perRange = ranges.map(([start, end]) => rangeNodes(start, end));
    const wanted = new Map<string, NodeKey>();
    for (const keys of perRange) for (const k of keys) wanted.set(`${k.level}/${k.index}`, k);
    const keys = [...wanted.values()];
    const hashes = await this.storage.nodes(keys);
    const byKey = new Map(keys.map((k, i) => [`${k.level}/${k.index}`, hashes[i]!]));
    return perRange.map((rangeKeys) => fold(rangeKeys.map((k) => byKey.get(`${k.level}/${k.index}`)!)));
  }

  /** The root the tree had at `size` leaves. */
  async rootAt(size: number): Promise<Uint8Array> {
    this.#checkSize(size);
    if (size === this.#size) return this.root();
    if (size === 0) return EMPTY_ROOT;
    return (await this.#ranges([[0, size]]))[0]!;
  }

  /** The leaf hash (`SHA-256(0x00 || event hash)`) of leaf `index`. */
  async leafHash(index: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.#size) {
      throw new RangeError(`no leaf ${index} in a tree of ${this.#size}`);
    }
    return (await this.storage.nodes([{ level: 0, index }]))[0]!;
  }

  /** The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1). */
  async inclusionProof(index: number, size: number = this.#size): Promise<Uint8Array[]> {
    this.#checkSize(size);
    return this.#ranges(inclusionRanges(index, size));
  }

  /** The consistency proof from `from` leaves to `to` leaves (RFC 9162 §2.1.4.1). */
  async consistencyProof(from: number, to: number = this.#size): Promise<Uint8Array[]> {
    this.#checkSize(to);
    return this.#ranges(consistencyRanges(from, to));
  }
}

/**
 * The root of a sequence of leaves, computed as they come with O(log n) memory: for checking an export
 * against a checkpoint without storing a tree.
 */
export class RootAccumulator {
  readonly #frontier: (Uint8Array | undefined)[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds a leaf: the event's stored hash (32 bytes). */
  push(eventHash: Uint8Array): void {
    let hash = hashLeaf(eventHash);
    let level = 0;
    let index = this.#size;
    while (index % 2 === 1) {
      hash = hashNode(this.#frontier[level]!, hash);
      this.#frontier[level] = undefined;
      level++;
      index = (index - 1) / 2;
    }
    this.#frontier[level] = hash;
    this.#size++;
  }

  /** The root of the leaves pushed so far. */
  root(): Uint8Array {
    let acc: Uint8Array | undefined;
    for (const hash of this.#frontier) {
      if (hash) acc = acc ? hashNode(hash, acc) : hash;
    }
    return acc ?? EMPTY_ROOT;
  }
}
