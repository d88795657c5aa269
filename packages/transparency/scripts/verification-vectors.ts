/**
 * Writes docs/verification-vectors.json: the test vectors of docs/verification.md, computed with the
 * implementation. `node --import tsx packages/transparency/scripts/verification-vectors.ts` rewrites the
 * file (then `biome format --write docs/verification-vectors.json`); test/vectors.test.ts checks the
 * implementation against it, and an independent verifier can too. Every value is fixed (keys from fixed
 * seeds, fixed times), so a rerun gives the same values.
 */
import { writeFileSync } from 'node:fs';
import { chainDigest, contentDigest, eventHash, GENESIS_HASH } from '@concord/event-store';
import {
  COSIGNATURE_TYPE,
  Ed25519Signer,
  formatAddCheckpoint,
  formatCheckpoint,
  hashLeaf,
  MemoryTreeStorage,
  MerkleTree,
  signNote,
  toBase64,
  toHex,
} from '../src/index.ts';

/** The events of the chain vectors: awkward payloads, two streams, ids in upper case. */
export const CHAIN_EVENTS = [
  {
    streamId: 'budget-8c1f6a52-77a4-4e2e-9d3b-1f0c2a9e5b11',
    id: '0B7E3C2A-5D41-4F8E-9A6B-3C2D1E0F9A8B',
    type: 'BudgetOpened',
    data: { budgetId: '8c1f6a52-77a4-4e2e-9d3b-1f0c2a9e5b11', currency: 'USD', total: 10_000_000 },
    metadata: { commandId: 'c-1', actor: { personId: 'p-1', organizationId: null } },
    globalPosition: 48213001,
    recordedAt: '2026-03-01T09:30:00.123Z',
  },
  {
    streamId: 'budget-8c1f6a52-77a4-4e2e-9d3b-1f0c2a9e5b11',
    id: '1c8f4d3b-6e52-4a9f-8b7c-4d3e2f1a0b9c',
    type: 'BudgetLineAdjusted',
    data: {
      note: 'Arabic «ميزانية» · Persian ‏بودجه‏ · emoji 🤝🏽 · combining é · RTL override \u202eevil\u202c',
      quote: 'say "no" \\ back\\slash / slash',
      control: 'tab\tnewline\nnul-free',
      separators: 'line\u2028para\u2029',
      delta: -2500,
      exact: 9007199254740991,
      nested: [[], {}, [null, true, false], { '10': 'ten', '2': 'two', a: 'letter' }],
    },
    metadata: {},
    globalPosition: 48213002,
    recordedAt: '2026-03-01T09:30:00.123Z',
  },
  {
    streamId: 'member-Организация-ü',
    id: '2d9a5e4c-7f63-4b0a-9c8d-5e4f3a2b1c0d',
    type: 'MemberJoined',
    data: null,
    metadata: { correlationId: 'x', schemaVersion: 1 },
    globalPosition: 48214001,
    recordedAt: '2026-03-01T09:30:01.000Z',
  },
  {
    streamId: 'budget-8c1f6a52-77a4-4e2e-9d3b-1f0c2a9e5b11',
    id: '3e0b6f5d-8074-4c1b-8d9e-6f5a4b3c2d1e',
    type: 'BudgetLineAdjusted',
    data: { amount: 0.1, big: 1e21, small: 5e-7, negativeZero: -0 },
    metadata: { actor: { personId: 'p-2', organizationId: 'o-9', role: 'facilitator' } },
    globalPosition: 49000001,
    recordedAt: '2026-03-02T00:00:00.000Z',
  },
] as const;

/** Fixed test keys: never use these for anything but vectors. */
export const LOG_SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
export const WITNESS_SEED = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
export const LOG_NAME = 'concord.example/coalition';
export const WITNESS_NAME = 'witness.example/w1';
export const COSIGNED_AT = 1_767_225_600; // 2026-01-01T00:00:00Z
export const TREE_SIZE = 13;

const utf8Hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');

function chainVectors() {
  const previous = new Map<string, Buffer>();
  const positions = new Map<string, number>();
  let digest: Buffer = GENESIS_HASH;
  const events = CHAIN_EVENTS.map((e) => {
    const id = e.id.toLowerCase();
    const dataJson = JSON.stringify(e.data);
    const metadataJson = JSON.stringify(e.metadata);
    const digestInput = `${Buffer.byteLength(e.streamId)}:${e.streamId}${Buffer.byteLength(id)}:${id}${Buffer.byteLength(e.type)}:${e.type}${Buffer.byteLength(dataJson)}:${dataJson}${Buffer.byteLength(metadataJson)}:${metadataJson}`;
    const content = contentDigest({ streamId: e.streamId, id: e.id, type: e.type, dataJson, metadataJson });
    const streamPosition = (positions.get(e.streamId) ?? 0) + 1;
    const prev = previous.get(e.streamId) ?? GENESIS_HASH;
    const recordedAtMs = Date.parse(e.recordedAt);
    const hash = eventHash(prev, content, { streamPosition, globalPosition: e.globalPosition, recordedAtMs });
    const int64 = (v: number) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(v));
      return b.toString('hex');
    };
    positions.set(e.streamId, streamPosition);
    previous.set(e.streamId, hash);
    digest = chainDigest(digest, hash);
    return {
      streamId: e.streamId,
      id: e.id,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      streamPosition,
      globalPosition: e.globalPosition,
      recordedAt: e.recordedAt,
      dataJson,
      metadataJson,
      contentDigestInputUtf8Hex: utf8Hex(digestInput),
      contentDigest: content.toString('hex'),
      previousHash: prev.toString('hex'),
      eventHashInput:
        prev.toString('hex') +
        content.toString('hex') +
        int64(streamPosition) +
        int64(e.globalPosition) +
        int64(recordedAtMs),
      hash: hash.toString('hex'),
      headDigestAfter: digest.toString('hex'),
    };
  });
  const heads = [...previous].map(([streamId, hash]) => ({
    streamId,
    version: positions.get(streamId)!,
    hash: hash.toString('hex'),
  }));
  heads.sort((a, b) => Buffer.compare(Buffer.from(a.streamId), Buffer.from(b.streamId)));
  return {
    genesis: GENESIS_HASH.toString('hex'),
    events,
    headDigest: digest.toString('hex'),
    streamHeads: heads,
  };
}

async function treeVectors(chainHashes: string[]) {
  // The chain's event hashes, then more 32-byte leaves: SHA-256 of "leaf <i>".
  const { createHash } = await import('node:crypto');
  const leaves = Array.from({ length: TREE_SIZE }, (_, i) =>
    i < chainHashes.length ? chainHashes[i]! : createHash('sha256').update(`leaf ${i}`).digest('hex'),
  );
  const tree = await MerkleTree.load(new MemoryTreeStorage());
  await tree.append(leaves.map((hex, i) => ({ position: i + 1, hash: Buffer.from(hex, 'hex') })));
  const roots: string[] = [];
  for (let size = 0; size <= TREE_SIZE; size++) roots.push(toHex(await tree.rootAt(size)));
  const inclusion: { index: number; size: number; proof: string[] }[] = [];
  const consistency: { from: number; to: number; proof: string[] }[] = [];
  for (let size = 1; size <= TREE_SIZE; size++) {
    for (let index = 0; index < size; index++) {
      inclusion.push({ index, size, proof: (await tree.inclusionProof(index, size)).map(toHex) });
    }
    for (let from = 1; from <= size; from++) {
      consistency.push({ from, to: size, proof: (await tree.consistencyProof(from, size)).map(toHex) });
    }
  }
  return {
    emptyRoot: roots[0],
    leaves,
    leafHashes: leaves.map((hex) => toHex(hashLeaf(Buffer.from(hex, 'hex')))),
    roots,
    inclusion,
    consistency,
    tree,
  };
}

export async function verificationVectors() {
  const chain = chainVectors();
  const { tree, ...merkle } = await treeVectors(chain.events.map((e) => e.hash));
  const log = Ed25519Signer.fromSeed(LOG_NAME, LOG_SEED);
  const witness = Ed25519Signer.fromSeed(WITNESS_NAME, WITNESS_SEED, COSIGNATURE_TYPE);
  const text = formatCheckpoint({ origin: LOG_NAME, size: TREE_SIZE, root: tree.root(), extensions: [] });
  const note = signNote(text, [log]);
  const cosignatureLine = witness.cosignatureLine(text, COSIGNED_AT);
  const cosignedMessage = `cosignature/v1\ntime ${COSIGNED_AT}\n${text}`;
  const proof = await tree.consistencyProof(4, TREE_SIZE);
  return {
    description:
      'Test vectors of docs/verification.md. Hashes are lower-case hex unless a field says base64. The keys are test keys from fixed seeds: never trust them for anything else.',
    chain,
    merkle,
    checkpoint: {
      logKey: {
        name: LOG_NAME,
        seedHex: toHex(LOG_SEED),
        publicKeyHex: toHex(log.publicKey),
        keyIdInputHex: `${utf8Hex(`${LOG_NAME}\n`)}01${toHex(log.publicKey)}`,
        keyIdHex: log.keyId.toString(16).padStart(8, '0'),
        verifierKey: log.verifierKey,
        privateKey: log.keyString,
      },
      text,
      signatureLine: log.signatureLine(text),
      note,
    },
    cosignature: {
      witnessKey: {
        name: WITNESS_NAME,
        seedHex: toHex(WITNESS_SEED),
        publicKeyHex: toHex(witness.publicKey),
        keyIdInputHex: `${utf8Hex(`${WITNESS_NAME}\n`)}04${toHex(witness.publicKey)}`,
        keyIdHex: witness.keyId.toString(16).padStart(8, '0'),
        verifierKey: witness.verifierKey,
      },
      timestamp: COSIGNED_AT,
      signedMessage: cosignedMessage,
      signatureLine: cosignatureLine,
      cosignedNote: note + cosignatureLine,
    },
    witnessRequest: {
      description: 'add-checkpoint body from size 4 to the checkpoint above',
      body: formatAddCheckpoint({ oldSize: 4, proof, checkpoint: note }),
      proofBase64: proof.map(toBase64),
    },
  };
}

if (process.argv[1]?.endsWith('verification-vectors.ts')) {
  const target = new URL('../../../docs/verification-vectors.json', import.meta.url);
  writeFileSync(target, `${JSON.stringify(await verificationVectors(), null, 2)}\n`);
  console.log(`wrote ${target.pathname}`);
}
