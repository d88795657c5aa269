/**
 * Checking a checkpoint note as a client does, browser-safe: the log's signature, then witnesses'
 * cosignatures up to a quorum, then (optionally) that an event is in the tree it commits to.
 * @module
 */
import { fromHex } from './bytes.ts';
import { type Checkpoint, parseCheckpoint } from './checkpoint.ts';
import type { VerifyCrypto } from './crypto.ts';
import {
  COSIGNATURE_TYPE,
  ED25519_TYPE,
  type NoteVerifier,
  openNote,
  parseVerifierKey,
  signedTime,
} from './note.ts';
import { leafHash, verifyInclusion } from './rfc9162.ts';

/** A verifier, or its verifier key text. */
export type VerifierInput = NoteVerifier | string;

async function toVerifier(input: VerifierInput, crypto: VerifyCrypto): Promise<NoteVerifier> {
  return typeof input === 'string' ? parseVerifierKey(input, crypto) : input;
}

export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  /** The note text the log signed. */
  text: string;
  /** Witnesses whose cosignatures verified, with the time each signed (POSIX seconds). */
  cosigners: { name: string; time: number }[];
}

/**
 * Opens a checkpoint note: the log's key (type 0x01) must have signed it, and at least `quorum` of the
 * given witness keys (type 0x04) must have cosigned it. Throws with the reason otherwise. A cosignature
 * from a given key that fails to verify rejects the note; lines from unknown keys are ignored.
 */
export async function verifyCheckpoint(
  note: string,
  options: {
    logKey: VerifierInput;
    witnessKeys?: readonly VerifierInput[];
    quorum?: number;
    crypto: VerifyCrypto;
  },
): Promise<VerifiedCheckpoint> {
  const { crypto } = options;
  const log = await toVerifier(options.logKey, crypto);
  if (log.type !== ED25519_TYPE) throw new Error('a log key is an Ed25519 note key (type 0x01)');
  const witnesses = await Promise.all((options.witnessKeys ?? []).map((key) => toVerifier(key, crypto)));
  if (witnesses.some((w) => w.type !== COSIGNATURE_TYPE))
    throw new Error('a witness key is a cosignature key (type 0x04)');
  const opened = await openNote(note, [log, ...witnesses]);
  if (!opened.verified.some((v) => v.verifier === log))
    throw new Error(`the log ${log.name} did not sign this note`);
  const cosigners = opened.verified
    .filter((v) => v.verifier !== log)
    .map((v) => ({ name: v.verifier.name, time: signedTime(v.signature) }));
  const quorum = options.quorum ?? 0;
  if (cosigners.length < quorum) {
    throw new Error(`${cosigners.length} of the ${quorum} witness cosignatures needed verified`);
  }
  return { checkpoint: parseCheckpoint(opened.text), text: opened.text, cosigners };
}

/**
 * Whether the event whose stored hash is `eventHash` (hex, as the store and its exports give it) is leaf
 * `index` of the tree `checkpoint` commits to, by `proof`.
 */
export async function verifyEventInclusion(
  crypto: VerifyCrypto,
  args: { eventHash: string; index: number; proof: readonly Uint8Array[]; checkpoint: Checkpoint },
): Promise<boolean> {
  const leaf = await leafHash(crypto, fromHex(args.eventHash));
  return verifyInclusion(crypto, {
    index: args.index,
    size: args.checkpoint.size,
    leafHash: leaf,
    proof: args.proof,
    root: args.checkpoint.root,
  });
}
