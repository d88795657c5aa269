/**
 * docs/verification-vectors.json against the implementation, and against a small verifier written
 * from docs/verification.md alone (plain SHA-256 and Ed25519 from node:crypto, nothing of Concord's), so
 * the document, the vectors and the code cannot drift apart.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  contentDigest,
  eventHash,
  type RecordedEvent,
  verifyEvents,
  verifyExportLines,
} from '@concord/event-store';
import { describe, expect, it } from 'vitest';
import { verificationVectors } from '../scripts/verification-vectors.ts';
import {
  fromHex,
  nodeCrypto,
  openNote,
  parseAddCheckpoint,
  parseVerifierKey,
  toHex,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  webCrypto,
} from '../src/index.ts';

const vectors = JSON.parse(
  readFileSync(new URL('../../../docs/verification-vectors.json', import.meta.url), 'utf8'),
);

const sha256 = (...parts: (Buffer | Uint8Array | string)[]) => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};
const int64be = (value: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(value));
  return b;
};

/** RFC 9162 MTH over leaf hashes, from its definition. */
function mth(leafHashes: Buffer[]): Buffer {
  if (leafHashes.length === 0) return sha256('');
  if (leafHashes.length === 1) return leafHashes[0]!;
  let k = 1;
  while (k * 2 < leafHashes.length) k *= 2;
  return sha256(Buffer.of(1), mth(leafHashes.slice(0, k)), mth(leafHashes.slice(k)));
}

function ed25519Verify(publicKeyHex: string, message: Buffer, signature: Buffer): boolean {
  const spki = Buffer.concat([
    Buffer.from('302a300506032b6570032100', 'hex'),
    Buffer.from(publicKeyHex, 'hex'),
  ]);
  return verify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature);
}

describe('docs/verification-vectors.json', () => {
  it('is what the implementation computes today (regenerate with scripts/verification-vectors.ts)', async () => {
    expect(JSON.parse(JSON.stringify(await verificationVectors()))).toEqual(vectors);
  });

  it('the event hash chain, as the document describes it byte by byte', async () => {
    const { chain } = vectors;
    let headDigest = Buffer.from(chain.genesis, 'hex');
    expect(headDigest).toEqual(Buffer.alloc(32));
    const previous = new Map<string, Buffer>();
    for (const e of chain.events) {
      // Content digest: decimal UTF-8 byte length, ':', the field, for each of five fields.
      const id = e.id.toLowerCase();
      const fields = [e.streamId, id, e.type, e.dataJson, e.metadataJson];
      const input = fields.map((f: string) => `${Buffer.byteLength(f, 'utf8')}:${f}`).join('');
      expect(Buffer.from(input, 'utf8').toString('hex')).toBe(e.contentDigestInputUtf8Hex);
      // The JSON texts are ECMAScript JSON.stringify of the values.
      expect(JSON.stringify(e.data)).toBe(e.dataJson);
      expect(JSON.stringify(e.metadata)).toBe(e.metadataJson);
      const digest = sha256(Buffer.from(input, 'utf8'));
      expect(digest.toString('hex')).toBe(e.contentDigest);
      expect(
        contentDigest({
          streamId: e.streamId,
          id: e.id,
          type: e.type,
          dataJson: e.dataJson,
          metadataJson: e.metadataJson,
        }),
      ).toEqual(digest);
      // Event hash: previous (32) ‖ digest (32) ‖ stream position ‖ global position ‖ recorded ms (8 each, BE).
      const prev = previous.get(e.streamId) ?? Buffer.alloc(32);
      expect(prev.toString('hex')).toBe(e.previousHash);
      const recordedAtMs = Date.parse(e.recordedAt);
      const hashInput = Buffer.concat([
        prev,
        digest,
        int64be(e.streamPosition),
        int64be(e.globalPosition),
        int64be(recordedAtMs),
      ]);
      expect(hashInput.toString('hex')).toBe(e.eventHashInput);
      const hash = sha256(hashInput);
      expect(hash.toString('hex')).toBe(e.hash);
      expect(
        eventHash(prev, digest, {
          streamPosition: e.streamPosition,
          globalPosition: e.globalPosition,
          recordedAtMs,
        }),
      ).toEqual(hash);
      previous.set(e.streamId, hash);
      // Head digest: SHA-256(previous digest ‖ event hash), from 32 zero bytes.
      headDigest = sha256(headDigest, hash);
      expect(headDigest.toString('hex')).toBe(e.headDigestAfter);
    }
    expect(headDigest.toString('hex')).toBe(chain.headDigest);

    // The store's verifier agrees, from the events alone and from their export lines with the heads.
    const recorded: RecordedEvent[] = chain.events.map((e: (typeof chain.events)[number]) => ({
      id: e.id.toLowerCase(),
      type: e.type,
      data: e.data,
      metadata: e.metadata,
      streamId: e.streamId,
      streamPosition: e.streamPosition,
      globalPosition: e.globalPosition,
      recordedAt: new Date(e.recordedAt),
      hash: e.hash,
    }));
    const heads = new Map<string, { version: number; hash: string }>(
      chain.streamHeads.map((h: { streamId: string; version: number; hash: string }) => [h.streamId, h]),
    );
    const verified = await verifyEvents(
      (async function* () {
        yield* recorded;
      })(),
      heads,
    );
    expect(verified).toEqual({
      ok: true,
      events: recorded.length,
      headHash: chain.headDigest,
      headPosition: recorded.at(-1)!.globalPosition,
    });
    const lines = [
      ...recorded.map((e) => JSON.stringify({ ...e, recordedAt: e.recordedAt.toISOString() })),
      ...chain.streamHeads.map((h: unknown) => JSON.stringify({ streamHead: h })),
    ];
    expect(await verifyExportLines(lines)).toMatchObject({ ok: true, streamHeads: chain.streamHeads.length });
  });

  it('the Merkle tree: leaves, roots and every proof up to 13 leaves', async () => {
    const { merkle } = vectors;
    expect(merkle.emptyRoot).toBe(sha256('').toString('hex'));
    const leafHashes = merkle.leaves.map((leaf: string) => sha256(Buffer.of(0), Buffer.from(leaf, 'hex')));
    expect(leafHashes.map((h: Buffer) => h.toString('hex'))).toEqual(merkle.leafHashes);
    merkle.roots.forEach((root: string, size: number) => {
      expect(mth(leafHashes.slice(0, size)).toString('hex')).toBe(root);
    });
    const crypto = webCrypto();
    for (const { index, size, proof } of merkle.inclusion) {
      const args = {
        index,
        size,
        leafHash: leafHashes[index],
        proof: proof.map(fromHex),
        root: fromHex(merkle.roots[size]),
      };
      expect(await verifyInclusion(crypto, args)).toBe(true);
    }
    for (const { from, to, proof } of merkle.consistency) {
      const args = {
        fromSize: from,
        toSize: to,
        fromRoot: fromHex(merkle.roots[from]),
        toRoot: fromHex(merkle.roots[to]),
        proof: proof.map(fromHex),
      };
      expect(await verifyConsistency(crypto, args)).toBe(true);
    }
  });

  it('the checkpoint, its signature, the key id and the verifier key', async () => {
    const { checkpoint, merkle } = vectors;
    const key = checkpoint.logKey;
    const root = Buffer.from(merkle.roots[13], 'hex').toString('base64');
    expect(checkpoint.text).toBe(`${key.name}\n13\n${root}\n`);
    const keyIdInput = Buffer.concat([
      Buffer.from(`${key.name}\n`),
      Buffer.of(1),
      Buffer.from(key.publicKeyHex, 'hex'),
    ]);
    expect(keyIdInput.toString('hex')).toBe(key.keyIdInputHex);
    expect(sha256(keyIdInput).subarray(0, 4).toString('hex')).toBe(key.keyIdHex);
    expect(key.verifierKey).toBe(
      `${key.name}+${key.keyIdHex}+${Buffer.concat([Buffer.of(1), Buffer.from(key.publicKeyHex, 'hex')]).toString('base64')}`,
    );
    // The signature line: em dash, space, name, space, base64(key id ‖ Ed25519 signature of the text).
    const prefix = `\u2014 ${key.name} `;
    expect(checkpoint.signatureLine.startsWith(prefix)).toBe(true);
    const bytes = Buffer.from(checkpoint.signatureLine.slice(prefix.length, -1), 'base64');
    expect(bytes.subarray(0, 4).toString('hex')).toBe(key.keyIdHex);
    expect(ed25519Verify(key.publicKeyHex, Buffer.from(checkpoint.text), bytes.subarray(4))).toBe(true);
    expect(checkpoint.note).toBe(`${checkpoint.text}\n${checkpoint.signatureLine}`);
    expect(
      (await openNote(checkpoint.note, [await parseVerifierKey(key.verifierKey, webCrypto())])).text,
    ).toBe(checkpoint.text);
  });

  it('the cosignature: its message, timestamp and key id', async () => {
    const { cosignature, checkpoint } = vectors;
    const key = cosignature.witnessKey;
    expect(cosignature.signedMessage).toBe(
      `cosignature/v1\ntime ${cosignature.timestamp}\n${checkpoint.text}`,
    );
    const keyIdInput = Buffer.concat([
      Buffer.from(`${key.name}\n`),
      Buffer.of(4),
      Buffer.from(key.publicKeyHex, 'hex'),
    ]);
    expect(keyIdInput.toString('hex')).toBe(key.keyIdInputHex);
    expect(sha256(keyIdInput).subarray(0, 4).toString('hex')).toBe(key.keyIdHex);
    const prefix = `\u2014 ${key.name} `;
    const bytes = Buffer.from(cosignature.signatureLine.slice(prefix.length, -1), 'base64');
    expect(bytes.length).toBe(4 + 8 + 64);
    expect(bytes.subarray(0, 4).toString('hex')).toBe(key.keyIdHex);
    expect(Number(bytes.readBigUInt64BE(4))).toBe(cosignature.timestamp);
    expect(ed25519Verify(key.publicKeyHex, Buffer.from(cosignature.signedMessage), bytes.subarray(12))).toBe(
      true,
    );
    for (const crypto of [nodeCrypto, webCrypto()]) {
      const verified = await verifyCheckpoint(cosignature.cosignedNote, {
        logKey: checkpoint.logKey.verifierKey,
        witnessKeys: [key.verifierKey],
        quorum: 1,
        crypto,
      });
      expect(verified.cosigners).toEqual([{ name: key.name, time: cosignature.timestamp }]);
    }
  });

  it('the witness request body', async () => {
    const { witnessRequest, checkpoint, merkle } = vectors;
    const request = parseAddCheckpoint(witnessRequest.body);
    expect(request.oldSize).toBe(4);
    expect(request.checkpoint).toBe(checkpoint.note);
    expect(request.proof.map((p) => Buffer.from(p).toString('base64'))).toEqual(witnessRequest.proofBase64);
    expect(
      await verifyConsistency(nodeCrypto, {
        fromSize: 4,
        toSize: 13,
        fromRoot: fromHex(merkle.roots[4]),
        toRoot: fromHex(merkle.roots[13]),
        proof: request.proof,
      }),
    ).toBe(true);
    expect(toHex(request.proof[0]!)).toBe(
      merkle.consistency.find((c: { from: number; to: number }) => c.from === 4 && c.to === 13).proof[0],
    );
  });
});
