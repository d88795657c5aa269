/**
 * The witness's decision, as pure logic (browser-safe): given the last checkpoint it verified and a new
 * checkpoint with a consistency proof, either the new one extends the old (same log, not smaller, same
 * root at the same size, proof verifies) or it is refused, with both signed checkpoints as evidence.
 * A portal visitor's browser runs this against the checkpoint it kept; `Witness` (witness.ts) runs it,
 * persists its state and cosigns.
 *
 * Also the `add-checkpoint` request body of c2sp.org/tlog-witness: `old <size>\n`, one base64 proof hash
 * per line, a blank line, then the signed checkpoint.
 * @module
 */
import { fromBase64, parseDecimal, toBase64 } from './bytes.ts';
import { type Checkpoint, parseCheckpoint } from './checkpoint.ts';
import type { VerifyCrypto } from './crypto.ts';
import { type NoteVerifier, openNote, parseNote } from './note.ts';
import { verifyConsistency } from './rfc9162.ts';

/** Why a checkpoint was refused. */
export type RefusalReason =
  /** No signature from a trusted key of this log verified, or one of them failed. */
  | 'bad_signature'
  /** Another log's checkpoint. */
  | 'wrong_origin'
  /** Smaller than the one held: the log went back (rollback). */
  | 'rollback'
  /** The same size as the one held, with another root (a fork: two histories of one size). */
  | 'fork'
  /** The proof does not show the held checkpoint's tree to be a prefix of the new one. */
  | 'inconsistent'
  /** The request is malformed (a proof where none can be, an old size above the new size…). */
  | 'bad_request';

/** Two signed checkpoints (and the proof offered) that show why a checkpoint was refused. */
export interface Evidence {
  /** The signed checkpoint held before (as verified then). */
  previous: string;
  /** The signed checkpoint offered. */
  offered: string;
  /** The consistency proof offered, base64. */
  proof: string[];
}

export type ExtensionResult =
  | { ok: true; checkpoint: Checkpoint; text: string; unchanged: boolean }
  | { ok: false; reason: RefusalReason; detail: string; evidence?: Evidence };

/**
 * Checks that `offered` (a signed checkpoint note) extends `previous` (the one held, undefined on first
 * use: then it is trusted as it is, and the proof must be empty).
 *
 * @param logVerifiers the log's trusted keys; the offered note must carry a valid signature of one.
 */
export async function checkExtension(args: {
  previous: string | undefined;
  offered: string;
  proof: readonly Uint8Array[];
  logVerifiers: readonly NoteVerifier[];
  crypto: VerifyCrypto;
}): Promise<ExtensionResult> {
  const { previous, offered, proof, crypto } = args;
  let text: string;
  let checkpoint: Checkpoint;
  try {
    text = (await openNote(offered, args.logVerifiers)).text;
    checkpoint = parseCheckpoint(text);
  } catch (error) {
    return { ok: false, reason: 'bad_signature', detail: (error as Error).message };
  }
  if (previous === undefined) {
    if (proof.length > 0)
      return { ok: false, reason: 'bad_request', detail: 'a first checkpoint comes without a proof' };
    return { ok: true, checkpoint, text, unchanged: false };
  }
  // Verified when it was taken; read as it is (the log may have rotated its key since).
  const held = parseCheckpoint(parseNote(previous).text);
  const evidence: Evidence = { previous, offered, proof: proof.map(toBase64) };
  if (held.origin !== checkpoint.origin) {
    return {
      ok: false,
      reason: 'wrong_origin',
      detail: `a checkpoint of ${checkpoint.origin}, not ${held.origin}`,
    };
  }
  if (checkpoint.size < held.size) {
    return {
      ok: false,
      reason: 'rollback',
      detail: `the log offers size ${checkpoint.size} after it signed size ${held.size}`,
      evidence,
    };
  }
  const consistent = await verifyConsistency(crypto, {
    fromSize: held.size,
    toSize: checkpoint.size,
    fromRoot: held.root,
    toRoot: checkpoint.root,
    proof,
  });
  if (checkpoint.size === held.size) {
    if (!consistent) {
      return {
        ok: false,
        reason: proof.length > 0 ? 'bad_request' : 'fork',
        detail:
          proof.length > 0
            ? 'no proof between two checkpoints of one size'
            : `two checkpoints of size ${held.size} with different roots`,
        evidence: proof.length > 0 ? undefined : evidence,
      };
    }
    return { ok: true, checkpoint, text, unchanged: true };
  }
  if (!consistent) {
    return {
      ok: false,
      reason: 'inconsistent',
      detail: `the proof does not show size ${held.size} to be a prefix of size ${checkpoint.size}`,
      evidence,
    };
  }
  return { ok: true, checkpoint, text, unchanged: false };
}

/** An `add-checkpoint` request (c2sp.org/tlog-witness). */
export interface AddCheckpointRequest {
  /** The size of the checkpoint the log believes the witness holds (0 when none). */
  oldSize: number;
  proof: Uint8Array[];
  /** The signed checkpoint note. */
  checkpoint: string;
}

/** The request body: `old <size>`, the proof lines, a blank line, the signed checkpoint. */
export function formatAddCheckpoint(request: AddCheckpointRequest): string {
  return `old ${request.oldSize}\n${request.proof.map((hash) => `${toBase64(hash)}\n`).join('')}\n${request.checkpoint}`;
}

/** Parses a request body; throws on anything malformed. */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const blank = body.indexOf('\n\n');
  if (blank < 0) throw new Error('a request has a blank line before the checkpoint');
  const lines = body.slice(0, blank).split('\n');
  const first = lines.shift()!;
  if (!first.startsWith('old ')) throw new Error('a request starts with "old <size>"');
  const oldSize = parseDecimal(first.slice(4));
  if (lines.length > 63) throw new Error('at most 63 proof lines');
  const proof = lines.map((line) => {
    const hash = fromBase64(line);
    if (hash.length !== 32) throw new Error('a proof line is a base64 32-byte hash');
    return hash;
  });
  return { oldSize, proof, checkpoint: body.slice(blank + 2) };
}
