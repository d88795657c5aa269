/**
 * Checking an export (or any list of event hashes in global order) against a signed checkpoint: the
 * first `size` event hashes must make the tree whose root the checkpoint commits to. With the export's
 * own chain check (`verifyExportLines` in @concord/event-store, whose `onEvent` option feeds this),
 * an auditor holding a witnessed checkpoint knows no event up to it was altered, removed, reordered or
 * inserted, even by someone who recomputed every hash.
 * @module
 */
import { equalBytes, fromHex, toBase64 } from './bytes.ts';
import type { Checkpoint } from './checkpoint.ts';
import { nodeCrypto } from './node-crypto.ts';
import { RootAccumulator } from './tree.ts';
import { type VerifiedCheckpoint, type VerifierInput, verifyCheckpoint } from './verify-checkpoint.ts';

export type ExportCheckResult =
  | { ok: true; size: number; root: string; cosigners: VerifiedCheckpoint['cosigners'] }
  | {
      ok: false;
      /** `short`: fewer events than the checkpoint's size; `root_mismatch`: the first `size` events make another tree. */
      problem: 'short' | 'root_mismatch';
      detail: string;
      size: number;
      leaves: number;
    };

/** Collects event hashes and compares the tree of the first `checkpoint.size` with the checkpoint. */
export class CheckpointMatcher {
  readonly #accumulator = new RootAccumulator();
  #rootAtSize: Uint8Array | undefined;
  #leaves = 0;

  constructor(readonly checkpoint: Checkpoint) {
    if (checkpoint.size === 0) this.#rootAtSize = this.#accumulator.root();
  }

  /** The next event hash in global order (hex or 32 bytes). Hashes past the checkpoint's size are counted only. */
  push(eventHash: string | Uint8Array): void {
    this.#leaves++;
    if (this.#accumulator.size >= this.checkpoint.size) return;
    this.#accumulator.push(typeof eventHash === 'string' ? fromHex(eventHash) : eventHash);
    if (this.#accumulator.size === this.checkpoint.size) this.#rootAtSize = this.#accumulator.root();
  }

  /** The verdict once every hash was pushed. */
  result():
    | Omit<Extract<ExportCheckResult, { ok: true }>, 'cosigners'>
    | Extract<ExportCheckResult, { ok: false }> {
    const { size, root } = this.checkpoint;
    if (this.#rootAtSize === undefined) {
      return {
        ok: false,
        problem: 'short',
        detail: `${this.#leaves} events, the checkpoint covers ${size}`,
        size,
        leaves: this.#leaves,
      };
    }
    if (!equalBytes(this.#rootAtSize, root)) {
      return {
        ok: false,
        problem: 'root_mismatch',
        detail: `the first ${size} events make root ${toBase64(this.#rootAtSize)}, the checkpoint says ${toBase64(root)}`,
        size,
        leaves: this.#leaves,
      };
    }
    return { ok: true, size, root: toBase64(root) };
  }
}

/**
 * Verifies a checkpoint note (log signature, `quorum` of witness cosignatures) and that the event hashes
 * given, in global order, begin with exactly the tree it commits to.
 */
export async function verifyExport(
  eventHashes: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>,
  options: {
    checkpoint: string;
    logKey: VerifierInput;
    witnessKeys?: readonly VerifierInput[];
    quorum?: number;
  },
): Promise<ExportCheckResult> {
  const verified = await verifyCheckpoint(options.checkpoint, { ...options, crypto: nodeCrypto });
  const matcher = new CheckpointMatcher(verified.checkpoint);
  for await (const hash of eventHashes) matcher.push(hash);
  const result = matcher.result();
  return result.ok ? { ...result, cosigners: verified.cosigners } : result;
}
