import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  consistencyRanges,
  fromHex,
  inclusionRanges,
  type LeafRange,
  MemoryTreeStorage,
  MerkleTree,
  nodeCrypto,
  RootAccumulator,
  rangeNodes,
  toHex,
  verifyConsistency,
  verifyInclusion,
  webCrypto,
} from '../src/index.ts';

const sha = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const leafHashOf = (data: Uint8Array) => sha(Uint8Array.of(0), data);

/** RFC 9162's MTH, written straight from its recursive definition over leaf hashes. */
function mth(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return sha();
  if (leafHashes.length === 1) return leafHashes[0]!;
  let k = 1;
  while (k * 2 < leafHashes.length) k *= 2;
  return sha(Uint8Array.of(1), mth(leafHashes.slice(0, k)), mth(leafHashes.slice(k)));
}

const proofOf = (leafHashes: readonly Uint8Array[], ranges: readonly LeafRange[]) =>
  ranges.map(([start, end]) => mth(leafHashes.slice(start, end)));

// The Certificate Transparency reference data (RFC 6962 test vectors, also used by RFC 9162 logs).
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(fromHex);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
const CT_CONSISTENCY = [
  { from: 1, to: 1, proof: [] },
  {
    from: 1,
    to: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    from: 6,
    to: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    from: 2,
    to: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

describe('RFC 9162 Merkle tree: the published vectors', () => {
  const leafHashes = CT_LEAVES.map(leafHashOf);

  it('gives the reference roots for sizes 0 to 8', () => {
    for (let n = 0; n <= 8; n++) expect(toHex(mth(leafHashes.slice(0, n)))).toBe(CT_ROOTS[n]);
  });

  it('shapes inclusion and consistency proofs as the reference ones', async () => {
    for (const { index, size, proof } of CT_INCLUSION) {
      expect(proofOf(leafHashes, inclusionRanges(index, size)).map(toHex)).toEqual(proof);
      for (const crypto of [nodeCrypto, webCrypto()]) {
        expect(
          await verifyInclusion(crypto, {
            index,
            size,
            leafHash: leafHashes[index]!,
            proof: proof.map(fromHex),
            root: fromHex(CT_ROOTS[size]!),
          }),
        ).toBe(true);
      }
    }
    for (const { from, to, proof } of CT_CONSISTENCY) {
      expect(proofOf(leafHashes, consistencyRanges(from, to)).map(toHex)).toEqual(proof);
      for (const crypto of [nodeCrypto, webCrypto()]) {
        expect(
          await verifyConsistency(crypto, {
            fromSize: from,
            toSize: to,
            fromRoot: fromHex(CT_ROOTS[from]!),
            toRoot: fromHex(CT_ROOTS[to]!),
            proof: proof.map(fromHex),
          }),
        ).toBe(true);
      }
    }
  });
});

describe('RFC 9162 Merkle tree: every size, every proof', () => {
  const N = 70;
  const events = Array.from({ length: N }, (_, i) => sha(new TextEncoder().encode(`event ${i}`)));
  const leafHashes = events.map(leafHashOf);

  it('the incremental tree gives every root, inclusion and consistency proof the definition gives', async () => {
    const storage = new MemoryTreeStorage();
    const tree = await MerkleTree.load(storage);
    // Uneven batches, so appends cross subtree boundaries in every way.
    const batches = [1, 2, 1, 5, 8, 3, 16, 1, 33];
    let at = 0;
    for (const size of batches) {
      await tree.append(
        events.slice(at, at + size).map((hash, i) => ({ position: (at + i + 1) * 1000 + 1, hash })),
      );
      at += size;
      expect(toHex(tree.root())).toBe(toHex(mth(leafHashes.slice(0, at))));
    }
    expect(tree.size).toBe(N);
    const reloaded = await MerkleTree.load(storage);
    expect(toHex(reloaded.root())).toBe(toHex(tree.root()));

    for (let size = 0; size <= N; size++) {
      const root = mth(leafHashes.slice(0, size));
      expect(toHex(await tree.rootAt(size))).toBe(toHex(root));
      for (let index = 0; index < size; index++) {
        const proof = await tree.inclusionProof(index, size);
        expect(proof.map(toHex)).toEqual(proofOf(leafHashes, inclusionRanges(index, size)).map(toHex));
        expect(
          await verifyInclusion(nodeCrypto, { index, size, leafHash: leafHashes[index]!, proof, root }),
        ).toBe(true);
      }
      for (let from = 0; from <= size; from++) {
        const proof = await tree.consistencyProof(from, size);
        const args = {
          fromSize: from,
          toSize: size,
          fromRoot: mth(leafHashes.slice(0, from)),
          toRoot: root,
          proof,
        };
        expect(await verifyConsistency(nodeCrypto, args)).toBe(true);
      }
    }
  });

  it('refuses proofs that do not fit: another leaf, index, size, root, or one hash changed', async () => {
    const tree = await MerkleTree.load(new MemoryTreeStorage());
    await tree.append(events.map((hash, i) => ({ position: i + 1, hash })));
    const crypto = webCrypto();
    for (const [index, size] of [
      [0, 1],
      [4, 5],
      [6, 7],
      [31, 64],
      [69, 70],
    ] as const) {
      const root = await tree.rootAt(size);
      const proof = await tree.inclusionProof(index, size);
      const good = { index, size, leafHash: leafHashes[index]!, proof, root };
      expect(await verifyInclusion(crypto, good)).toBe(true);
      expect(await verifyInclusion(crypto, { ...good, leafHash: leafHashes[(index + 1) % size]! })).toBe(
        size === 1,
      );
      expect(await verifyInclusion(crypto, { ...good, index: index === 0 ? 1 : index - 1 })).toBe(false);
      expect(await verifyInclusion(crypto, { ...good, size: size + 1 })).toBe(false);
      expect(await verifyInclusion(crypto, { ...good, root: leafHashes[0]! })).toBe(
        size === 1 && index === 0,
      );
      for (let i = 0; i < proof.length; i++) {
        const bent = proof.map((h, j) => (j === i ? Uint8Array.from(h, (b, k) => (k === 0 ? b ^ 1 : b)) : h));
        expect(await verifyInclusion(crypto, { ...good, proof: bent })).toBe(false);
      }
      expect(await verifyInclusion(crypto, { ...good, proof: [...proof, leafHashes[0]!] })).toBe(false);
    }
    for (const [from, to] of [
      [1, 2],
      [3, 7],
      [4, 8],
      [5, 70],
      [32, 64],
      [64, 70],
    ] as const) {
      const proof = await tree.consistencyProof(from, to);
      const good = {
        fromSize: from,
        toSize: to,
        fromRoot: await tree.rootAt(from),
        toRoot: await tree.rootAt(to),
        proof,
      };
      expect(await verifyConsistency(crypto, good)).toBe(true);
      expect(await verifyConsistency(crypto, { ...good, fromRoot: await tree.rootAt(from - 1) })).toBe(false);
      expect(await verifyConsistency(crypto, { ...good, toRoot: await tree.rootAt(to - 1) })).toBe(false);
      // (A root does not commit to its size by itself: a proof may fit a neighbouring size with the same
      // root. The size is bound where the root is: in the signed checkpoint.)
      expect(await verifyConsistency(crypto, { ...good, fromSize: from + 1 })).toBe(false);
      for (let i = 0; i < proof.length; i++) {
        const bent = proof.map((h, j) =>
          j === i ? Uint8Array.from(h, (b, k) => (k === 31 ? b ^ 128 : b)) : h,
        );
        expect(await verifyConsistency(crypto, { ...good, proof: bent })).toBe(false);
      }
    }
    // Equal sizes: equal roots and no proof; size 0 is a prefix of anything, with no proof.
    const r5 = await tree.rootAt(5);
    expect(
      await verifyConsistency(crypto, { fromSize: 5, toSize: 5, fromRoot: r5, toRoot: r5, proof: [] }),
    ).toBe(true);
    const r6 = await tree.rootAt(6);
    expect(
      await verifyConsistency(crypto, { fromSize: 5, toSize: 5, fromRoot: r5, toRoot: r6, proof: [] }),
    ).toBe(false);
    expect(
      await verifyConsistency(crypto, { fromSize: 0, toSize: 5, fromRoot: r6, toRoot: r5, proof: [] }),
    ).toBe(true);
    expect(
      await verifyConsistency(crypto, { fromSize: 6, toSize: 5, fromRoot: r6, toRoot: r5, proof: [] }),
    ).toBe(false);
  });

  it('refuses leaves out of order and keeps its state when the storage refuses a batch', async () => {
    const tree = await MerkleTree.load(new MemoryTreeStorage());
    await tree.append([{ position: 5, hash: events[0]! }]);
    await expect(tree.append([{ position: 5, hash: events[1]! }])).rejects.toThrow(/must increase/);
    await expect(tree.append([{ position: 6, hash: new Uint8Array(31) }])).rejects.toThrow(/32-byte/);
    expect(tree.size).toBe(1);
    expect(tree.lastPosition).toBe(5);
  });

  it('decomposes any range into aligned complete subtrees', () => {
    expect(rangeNodes(0, 7)).toEqual([
      { level: 2, index: 0 },
      { level: 1, index: 2 },
      { level: 0, index: 6 },
    ]);
    expect(rangeNodes(8, 13)).toEqual([
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(rangeNodes(0, 0)).toEqual([]);
  });

  it('accumulates the root of a stream of leaves in little memory', () => {
    const accumulator = new RootAccumulator();
    expect(toHex(accumulator.root())).toBe(CT_ROOTS[0]);
    events.forEach((event, i) => {
      accumulator.push(event);
      expect(toHex(accumulator.root())).toBe(toHex(mth(leafHashes.slice(0, i + 1))));
    });
  });
});
