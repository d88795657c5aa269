/**
 * A witness (c2sp.org/tlog-witness semantics, without the HTTP): it holds, per log, the last checkpoint it
 * verified, and cosigns a new checkpoint only when it extends that one (witness-core.ts). A refusal
 * carries both signed checkpoints as evidence. Requests are handled one at a time, and the new state is
 * on disk before the cosignature is returned, so a crash never lets it cosign a rollback.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseCheckpoint } from './checkpoint.ts';
import { nodeCrypto } from './node-crypto.ts';
import { type NoteVerifier, parseNote, parseVerifierKey } from './note.ts';
import type { Ed25519Signer } from './signer.ts';
import {
  type AddCheckpointRequest,
  checkExtension,
  type Evidence,
  type RefusalReason,
} from './witness-core.ts';

/** Where a witness keeps the last checkpoint it verified of each log. */
export interface WitnessStateStore {
  load(origin: string): Promise<string | undefined>;
  save(origin: string, note: string): Promise<void>;
}

/**
 * A witness state in one JSON file `{"version":1,"logs":{"<origin>":"<signed checkpoint>"}}`, replaced
 * atomically (written to a temporary file, flushed, renamed over). One process uses a file at a time.
 */
export class FileWitnessState implements WitnessStateStore {
  constructor(readonly path: string) {}

  async #read(): Promise<Record<string, string>> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as {
        version: number;
        logs: Record<string, string>;
      };
      if (parsed.version !== 1 || typeof parsed.logs !== 'object')
        throw new Error(`${this.path}: not a witness state`);
      return parsed.logs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  async load(origin: string): Promise<string | undefined> {
    return (await this.#read())[origin];
  }

  async save(origin: string, note: string): Promise<void> {
    const logs = { ...(await this.#read()), [origin]: note };
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${randomUUID()}.tmp`;
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(`${JSON.stringify({ version: 1, logs }, null, 2)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
  }
}

/** A witness state in memory (tests). */
export class MemoryWitnessState implements WitnessStateStore {
  readonly notes = new Map<string, string>();
  async load(origin: string) {
    return this.notes.get(origin);
  }
  async save(origin: string, note: string) {
    this.notes.set(origin, note);
  }
}

export type WitnessResponse =
  | {
      ok: true;
      /** 200. */
      status: 200;
      /** The cosignature line(s) to append to the checkpoint note. */
      cosignatures: string[];
      size: number;
    }
  | {
      ok: false;
      /** The HTTP status tlog-witness gives this refusal. */
      status: 400 | 403 | 404 | 409 | 422;
      reason: RefusalReason | 'unknown_origin' | 'old_size_mismatch';
      detail: string;
      /** The size of the checkpoint the witness holds (for a 409). */
      size?: number;
      evidence?: Evidence;
    };

const STATUS: Record<RefusalReason, 400 | 403 | 409 | 422> = {
  bad_signature: 403,
  wrong_origin: 400,
  rollback: 409,
  fork: 409,
  inconsistent: 422,
  bad_request: 400,
};

export class Witness {
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly cosigner: Ed25519Signer,
    readonly logs: ReadonlyMap<string, NoteVerifier[]>,
    readonly state: WitnessStateStore,
    readonly now: () => number,
  ) {}

  /**
   * @param logs each log it witnesses: origin → the log's verifier keys (`name+keyid+base64(0x01||key)`).
   * @param cosigner its own key, of type 0x04 (`loadOrCreateSigner(dir, name, { type: 0x04 })`).
   * @param now the time to cosign at, in POSIX seconds.
   */
  static async create(options: {
    cosigner: Ed25519Signer;
    logs: Record<string, readonly string[]>;
    state: WitnessStateStore;
    now?: () => number;
  }): Promise<Witness> {
    const logs = new Map<string, NoteVerifier[]>();
    for (const [origin, keys] of Object.entries(options.logs)) {
      logs.set(origin, await Promise.all(keys.map((key) => parseVerifierKey(key, nodeCrypto))));
    }
    return new Witness(
      options.cosigner,
      logs,
      options.state,
      options.now ?? (() => Math.floor(Date.now() / 1000)),
    );
  }

  /** The checkpoint held for a log. */
  held(origin: string): Promise<string | undefined> {
    return this.state.load(origin);
  }

  /**
   * Handles one `add-checkpoint` request: cosigns the checkpoint when it extends the one held (and holds
   * it from then on), or refuses with the reason, the tlog-witness status and, for a rollback, a fork or
   * an inconsistent proof, both signed checkpoints.
   */
  cosign(request: AddCheckpointRequest): Promise<WitnessResponse> {
    const run = this.#queue.then(() => this.#cosign(request));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #cosign(request: AddCheckpointRequest): Promise<WitnessResponse> {
    let origin: string;
    let oldAbove: boolean;
    try {
      const offered = parseCheckpoint(parseNote(request.checkpoint).text);
      origin = offered.origin;
      oldAbove = request.oldSize > offered.size;
    } catch (error) {
      return { ok: false, status: 400, reason: 'bad_request', detail: (error as Error).message };
    }
    const verifiers = this.logs.get(origin);
    if (!verifiers)
      return { ok: false, status: 404, reason: 'unknown_origin', detail: `no log ${origin} here` };
    const previous = await this.state.load(origin);
    const heldSize = previous === undefined ? 0 : parseCheckpoint(parseNote(previous).text).size;
    // A log that believes the witness holds another size gets 409 and the size held, unless what it sent
    // is already evidence (a rollback or a fork): so the proof is checked only against the size held.
    const sizeMatches = request.oldSize === heldSize && !oldAbove;
    const result = await checkExtension({
      previous,
      offered: request.checkpoint,
      proof: sizeMatches ? request.proof : [],
      logVerifiers: verifiers,
      crypto: nodeCrypto,
    });
    if (!result.ok && (sizeMatches || result.reason !== 'inconsistent')) {
      return {
        ok: false,
        // tlog-witness answers 400 to an old size above the new one; the reason still names a rollback.
        status: oldAbove ? 400 : STATUS[result.reason],
        reason: result.reason,
        detail: result.detail,
        size: heldSize,
        evidence: result.evidence,
      };
    }
    if (result.ok && request.oldSize > result.checkpoint.size) {
      return {
        ok: false,
        status: 400,
        reason: 'bad_request',
        detail: 'the old size is above the checkpoint size',
      };
    }
    if (oldAbove) {
      return {
        ok: false,
        status: 400,
        reason: 'bad_request',
        detail: 'the old size is above the checkpoint size',
      };
    }
    if (!sizeMatches || !result.ok) {
      return {
        ok: false,
        status: 409,
        reason: 'old_size_mismatch',
        detail: `the witness holds size ${heldSize}, not ${request.oldSize}`,
        size: heldSize,
      };
    }
    if (!result.unchanged) await this.state.save(origin, request.checkpoint);
    return {
      ok: true,
      status: 200,
      cosignatures: [this.cosigner.cosignatureLine(result.text, this.now())],
      size: result.checkpoint.size,
    };
  }
}
