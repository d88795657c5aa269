/**
 * RFC 9162 (Certificate Transparency 2.0) §2.1 Merkle tree algorithms, browser-safe:
 *
 * - leaf hash `SHA-256(0x00 || leaf)`, node hash `SHA-256(0x01 || left || right)`, and the root of the
 *   empty tree `SHA-256("")`;
 * - the shapes of inclusion proofs (§2.1.3.1, `PATH`) and consistency proofs (§2.1.4.1, `SUBPROOF`) as
 *   ranges of leaves, so a store of complete subtrees can serve them;
 * - verification of both (§2.1.3.2, §2.1.4.2) with an injected `VerifyCrypto`.
 *
 * Tree sizes and indexes are JavaScript numbers (whole, below 2^53); no 32-bit bit operations are used.
 * @module
 */
import { concat, equalBytes } from './bytes.ts';
import type { VerifyCrypto } from './crypto.ts';

/** Byte prepended to a leaf before hashing (domain separation from nodes). */
export const LEAF_PREFIX = 0x00;
/** Byte prepended to two child hashes before hashing. */
export const NODE_PREFIX = 0x01;
/** Bytes in a hash. */
export const HASH_SIZE = 32;

/** A complete subtree: the `2^level` leaves from `index × 2^level` on. Level 0 is a leaf. */
export interface NodeKey {
  level: number;
  index: number;
}

/** A range of leaves `[start, end)`. */
export type LeafRange = readonly [start: number, end: number];

/** The largest power of two strictly below `n` (n ≥ 2): RFC 9162's `k` that splits a tree. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Whether `n` (≥ 1) is 2^k for some k ≥ 0. */
export function isPowerOfTwo(n: number): boolean {
  let x = n;
  while (x > 1 && x % 2 === 0) x /= 2;
  return x === 1;
}

function assertSize(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be a whole number ≥ 0`);
}

/**
 * The ranges whose subtree hashes make the inclusion proof of leaf `index` in a tree of `size` leaves,
 * in proof order (from the leaf's sibling up to the root's other child): RFC 9162 `PATH(m, D[n])`.
 */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  assertSize(index, 'index');
  assertSize(size, 'size');
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const out: LeafRange[] = [];
  const path = (m: number, start: number, n: number): void => {
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      path(m, start, k);
      out.push([start + k, start + n]);
    } else {
      path(m - k, start + k, n - k);
      out.push([start, start + k]);
    }
  };
  path(index, 0, size);
  return out;
}

/**
 * The ranges whose subtree hashes make the consistency proof between tree sizes `from` and `to`, in proof
 * order: RFC 9162 `PROOF(m, D[n]) = SUBPROOF(m, D[n], true)`. Empty when `from` is 0 or equals `to`.
 */
export function consistencyRanges(from: number, to: number): LeafRange[] {
  assertSize(from, 'from');
  assertSize(to, 'to');
  if (from > to) throw new RangeError(`no consistency proof from ${from} down to ${to}`);
  const out: LeafRange[] = [];
  if (from === 0 || from === to) return out;
  const subproof = (m: number, start: number, n: number, complete: boolean): void => {
    if (m === n) {
      if (!complete) out.push([start, start + n]);
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      subproof(m, start, k, complete);
      out.push([start + k, start + n]);
    } else {
      subproof(m - k, start + k, n - k, false);
      out.push([start, start + k]);
    }
  };
  subproof(from, 0, to, true);
  return out;
}

/**
 * The complete subtrees that make up `[start, end)`, left to right, each as large as alignment allows.
 * For every range `inclusionRanges`, `consistencyRanges` or a root needs, its hash is these subtrees'
 * hashes folded from the right: `node(b1, node(b2, … node(b_{k-1}, b_k)))`.
 */
export function rangeNodes(start: number, end: number): NodeKey[] {
  const out: NodeKey[] = [];
  let s = start;
  while (s < end) {
    let size = 1;
    let level = 0;
    while (s % (size * 2) === 0 && s + size * 2 <= end) {
      size *= 2;
      level++;
    }
    out.push({ level, index: s / size });
    s += size;
  }
  return out;
}

/** The hash of a range from the hashes of its `rangeNodes`, folded from the right. */
export async function foldRange(crypto: VerifyCrypto, hashes: readonly Uint8Array[]): Promise<Uint8Array> {
  if (hashes.length === 0) return emptyRoot(crypto);
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = await nodeHash(crypto, hashes[i]!, acc);
  return acc;
}

/** `SHA-256(0x00 || leaf)`. */
export async function leafHash(crypto: VerifyCrypto, leaf: Uint8Array): Promise<Uint8Array> {
  return crypto.sha256(concat(Uint8Array.of(LEAF_PREFIX), leaf));
}

/** `SHA-256(0x01 || left || right)`. */
export async function nodeHash(
  crypto: VerifyCrypto,
  left: Uint8Array,
  right: Uint8Array,
): Promise<Uint8Array> {
  return crypto.sha256(concat(Uint8Array.of(NODE_PREFIX), left, right));
}

/** The root of the empty tree: `SHA-256("")`. */
export async function emptyRoot(crypto: VerifyCrypto): Promise<Uint8Array> {
  return crypto.sha256(new Uint8Array(0));
}

function wellFormed(proof: readonly Uint8Array[]): boolean {
  return proof.length <= 128 && proof.every((hash) => hash.length === HASH_SIZE);
}

/**
 * The root an inclusion proof leads to from a leaf hash, or undefined when the proof's length does not
 * fit the index and size (RFC 9162 §2.1.3.2).
 */
export async function rootFromInclusionProof(
  crypto: VerifyCrypto,
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Uint8Array | undefined> {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size)
    return undefined;
  if (!wellFormed(proof)) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(crypto, p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(crypto, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** Whether `proof` shows the leaf with hash `leaf` at `index` in the tree of `size` leaves with `root`. */
export async function verifyInclusion(
  crypto: VerifyCrypto,
  args: { index: number; size: number; leafHash: Uint8Array; proof: readonly Uint8Array[]; root: Uint8Array },
): Promise<boolean> {
  const computed = await rootFromInclusionProof(crypto, args.index, args.size, args.leafHash, args.proof);
  return computed !== undefined && equalBytes(computed, args.root);
}

/**
 * Whether `proof` shows the tree of `fromSize` leaves with `fromRoot` to be a prefix of the tree of
 * `toSize` leaves with `toRoot` (RFC 9162 §2.1.4.2). Equal sizes need equal roots and an empty proof; a
 * tree of size 0 is a prefix of every tree (empty proof).
 */
export async function verifyConsistency(
  crypto: VerifyCrypto,
  args: {
    fromSize: number;
    toSize: number;
    fromRoot: Uint8Array;
    toRoot: Uint8Array;
    proof: readonly Uint8Array[];
  },
): Promise<boolean> {
  const { fromSize, toSize, fromRoot, toRoot } = args;
  if (!Number.isSafeInteger(fromSize) || !Number.isSafeInteger(toSize) || fromSize < 0 || fromSize > toSize) {
    return false;
  }
  if (!wellFormed(args.proof)) return false;
  if (fromSize === 0) return args.proof.length === 0;
  if (fromSize === toSize) return args.proof.length === 0 && equalBytes(fromRoot, toRoot);
  const proof = [...args.proof];
  if (proof.length === 0) return false;
  // A power-of-two old tree is itself a node of the new one: its root starts the path.
  if (isPowerOfTwo(fromSize)) proof.unshift(fromRoot);
  let fn = fromSize - 1;
  let sn = toSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = proof[0]!;
  let sr = proof[0]!;
  for (const c of proof.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = await nodeHash(crypto, c, fr);
      sr = await nodeHash(crypto, c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = await nodeHash(crypto, sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, fromRoot) && equalBytes(sr, toRoot);
}
