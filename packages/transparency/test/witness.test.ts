import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addSignatureLines,
  COSIGNATURE_TYPE,
  checkExtension,
  Ed25519Signer,
  FileWitnessState,
  formatAddCheckpoint,
  MemoryWitnessState,
  type NoteVerifier,
  parseAddCheckpoint,
  TransparencyLog,
  verifyCheckpoint,
  Witness,
  type WitnessStateStore,
  webCrypto,
} from '../src/index.ts';

const ORIGIN = 'concord.example/coalition';
const event = (i: number) => createHash('sha256').update(`event ${i}`).digest();

/** A log with `n` leaves; `fork` gives another history from leaf `fork` on. */
async function logOf(n: number, fork?: number) {
  const log = await TransparencyLog.inMemory();
  await log.append(
    Array.from({ length: n }, (_, i) => ({
      position: (i + 1) * 1000 + 1,
      hash: fork !== undefined && i >= fork ? event(-i) : event(i),
    })),
  );
  return log;
}

describe('a witness', () => {
  const logKey = Ed25519Signer.fromSeed('concord.example/coalition', new Uint8Array(32).fill(1));
  const witnessKey = Ed25519Signer.fromSeed(
    'witness.example/w1',
    new Uint8Array(32).fill(2),
    COSIGNATURE_TYPE,
  );
  let log: TransparencyLog;
  let logVerifier: NoteVerifier;
  beforeAll(async () => {
    log = await logOf(20);
    logVerifier = await logKey.verifier();
  });

  /** A signed checkpoint of the log at `size` (a log of that size with the same leaves). */
  async function checkpointAt(size: number, fork?: number) {
    const at = await logOf(size, fork);
    return at.checkpoint(logKey, { origin: ORIGIN });
  }

  const newWitness = (state: WitnessStateStore = new MemoryWitnessState(), now = () => 1_800_000_000) =>
    Witness.create({ cosigner: witnessKey, logs: { [ORIGIN]: [logKey.verifierKey] }, state, now });

  it('trusts a first checkpoint, then cosigns only checkpoints that extend it', async () => {
    const witness = await newWitness();
    const first = await checkpointAt(5);
    const accepted = await witness.cosign({ oldSize: 0, proof: [], checkpoint: first });
    expect(accepted).toMatchObject({ ok: true, status: 200, size: 5 });
    if (!accepted.ok) return;
    const cosigned = addSignatureLines(first, accepted.cosignatures);
    const verified = await verifyCheckpoint(cosigned, {
      logKey: logKey.verifierKey,
      witnessKeys: [witnessKey.verifierKey],
      quorum: 1,
      crypto: webCrypto(),
    });
    expect(verified.cosigners).toEqual([{ name: 'witness.example/w1', time: 1_800_000_000 }]);

    const next = await checkpointAt(13);
    const proof = await log.consistencyProof(5, 13);
    expect(await witness.cosign({ oldSize: 5, proof, checkpoint: next })).toMatchObject({
      ok: true,
      size: 13,
    });
    expect(await witness.held(ORIGIN)).toBe(next);
    // The same checkpoint again: cosigned again, nothing moves.
    expect(await witness.cosign({ oldSize: 13, proof: [], checkpoint: next })).toMatchObject({
      ok: true,
      size: 13,
    });
  });

  it('refuses a rollback and a fork, with both signed checkpoints as evidence', async () => {
    const witness = await newWitness();
    const held = await checkpointAt(10);
    await witness.cosign({ oldSize: 0, proof: [], checkpoint: held });

    const smaller = await checkpointAt(7);
    const rollback = await witness.cosign({ oldSize: 10, proof: [], checkpoint: smaller });
    // tlog-witness answers 400 to an old size above the new size; the refusal still names the rollback.
    expect(rollback).toMatchObject({ ok: false, status: 400, reason: 'rollback', size: 10 });
    expect(!rollback.ok && rollback.evidence).toEqual({ previous: held, offered: smaller, proof: [] });

    const forked = await checkpointAt(10, 4);
    const fork = await witness.cosign({ oldSize: 10, proof: [], checkpoint: forked });
    expect(fork).toMatchObject({ ok: false, status: 409, reason: 'fork' });
    expect(!fork.ok && fork.evidence).toEqual({ previous: held, offered: forked, proof: [] });
    // The evidence stands on its own: both notes verify under the log's key, same size, different roots.
    if (!fork.ok && fork.evidence) {
      const a = await verifyCheckpoint(fork.evidence.previous, {
        logKey: logKey.verifierKey,
        crypto: webCrypto(),
      });
      const b = await verifyCheckpoint(fork.evidence.offered, {
        logKey: logKey.verifierKey,
        crypto: webCrypto(),
      });
      expect(a.checkpoint.size).toBe(b.checkpoint.size);
      expect(a.checkpoint.root).not.toEqual(b.checkpoint.root);
    }
    // Even when the log pretends the witness held another size.
    expect(await witness.cosign({ oldSize: 3, proof: [], checkpoint: smaller })).toMatchObject({
      reason: 'rollback',
    });
    expect(await witness.held(ORIGIN)).toBe(held);
  });

  it('refuses a larger checkpoint whose history differs (an edit the proof cannot hide)', async () => {
    const witness = await newWitness();
    const held = await checkpointAt(8);
    await witness.cosign({ oldSize: 0, proof: [], checkpoint: held });
    // A history rewritten from leaf 3 on, grown to 12: the honest proof of the rewritten log fails.
    const rewritten = await logOf(12, 3);
    const offered = await rewritten.checkpoint(logKey, { origin: ORIGIN });
    const result = await witness.cosign({
      oldSize: 8,
      proof: await rewritten.consistencyProof(8, 12),
      checkpoint: offered,
    });
    expect(result).toMatchObject({ ok: false, status: 422, reason: 'inconsistent' });
    expect(!result.ok && result.evidence?.previous).toBe(held);
    // And with the genuine log's proof (for other roots) too.
    const result2 = await witness.cosign({
      oldSize: 8,
      proof: await log.consistencyProof(8, 12),
      checkpoint: offered,
    });
    expect(result2).toMatchObject({ ok: false, reason: 'inconsistent' });
    expect(await witness.held(ORIGIN)).toBe(held);
  });

  it('answers like tlog-witness: unknown log 404, bad signature 403, wrong old size 409 with its size', async () => {
    const witness = await newWitness();
    const held = await checkpointAt(6);
    await witness.cosign({ oldSize: 0, proof: [], checkpoint: held });
    const other = Ed25519Signer.generate('other.example/log');
    const unknown = (await logOf(3)).checkpoint(other, { origin: 'other.example/log' });
    expect(await witness.cosign({ oldSize: 0, proof: [], checkpoint: await unknown })).toMatchObject({
      status: 404,
      reason: 'unknown_origin',
    });
    const impostor = Ed25519Signer.generate('concord.example/coalition');
    const forged = await (await logOf(9)).checkpoint(impostor, { origin: ORIGIN });
    expect(
      await witness.cosign({ oldSize: 6, proof: await log.consistencyProof(6, 9), checkpoint: forged }),
    ).toMatchObject({ status: 403, reason: 'bad_signature' });
    const next = await checkpointAt(9);
    expect(
      await witness.cosign({ oldSize: 4, proof: await log.consistencyProof(4, 9), checkpoint: next }),
    ).toMatchObject({
      status: 409,
      reason: 'old_size_mismatch',
      size: 6,
    });
    expect(await witness.cosign({ oldSize: 12, proof: [], checkpoint: next })).toMatchObject({ status: 400 });
    expect(await witness.cosign({ oldSize: 6, proof: [], checkpoint: 'not a note' })).toMatchObject({
      status: 400,
    });
  });

  it('keeps its state in a file across restarts, written atomically', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'concord-witness-')), 'state', 'witness.json');
    const first = await newWitness(new FileWitnessState(path));
    const held = await checkpointAt(11);
    await first.cosign({ oldSize: 0, proof: [], checkpoint: held });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ version: 1, logs: { [ORIGIN]: held } });

    const restarted = await newWitness(new FileWitnessState(path));
    expect(await restarted.held(ORIGIN)).toBe(held);
    const smaller = await checkpointAt(9);
    expect(await restarted.cosign({ oldSize: 0, proof: [], checkpoint: smaller })).toMatchObject({
      reason: 'rollback',
    });
  });

  it('handles concurrent requests one at a time: two growths from one size, one wins', async () => {
    const witness = await newWitness();
    await witness.cosign({ oldSize: 0, proof: [], checkpoint: await checkpointAt(4) });
    const [a, b] = await Promise.all([
      witness.cosign({
        oldSize: 4,
        proof: await log.consistencyProof(4, 15),
        checkpoint: await checkpointAt(15),
      }),
      witness.cosign({
        oldSize: 4,
        proof: await log.consistencyProof(4, 9),
        checkpoint: await checkpointAt(9),
      }),
    ]);
    expect(a).toMatchObject({ ok: true, size: 15 });
    // The second no longer starts from the size held: it is not cosigned, so the witness never goes back.
    expect(b).toMatchObject({ ok: false, reason: 'rollback' });
  });

  it('the decision alone runs on WebCrypto, as a portal visitor’s browser would run it', async () => {
    const crypto = webCrypto();
    const held = await checkpointAt(6);
    const next = await checkpointAt(17);
    const proof = await log.consistencyProof(6, 17);
    expect(
      await checkExtension({ previous: held, offered: next, proof, logVerifiers: [logVerifier], crypto }),
    ).toMatchObject({
      ok: true,
      unchanged: false,
    });
    const forked = await checkpointAt(17, 2);
    expect(
      await checkExtension({ previous: held, offered: forked, proof, logVerifiers: [logVerifier], crypto }),
    ).toMatchObject({ ok: false, reason: 'inconsistent' });
  });

  it('reads and writes the add-checkpoint request body', async () => {
    const checkpoint = await checkpointAt(12);
    const proof = await log.consistencyProof(5, 12);
    const body = formatAddCheckpoint({ oldSize: 5, proof, checkpoint });
    expect(body.startsWith('old 5\n')).toBe(true);
    expect(parseAddCheckpoint(body)).toEqual({
      oldSize: 5,
      proof: proof.map((p) => new Uint8Array(p)),
      checkpoint,
    });
    expect(parseAddCheckpoint(formatAddCheckpoint({ oldSize: 0, proof: [], checkpoint })).proof).toEqual([]);
    expect(() => parseAddCheckpoint(`old 05\n\n${checkpoint}`)).toThrow();
    expect(() => parseAddCheckpoint(`old 5\nAAAA\n\n${checkpoint}`)).toThrow();
  });
});
