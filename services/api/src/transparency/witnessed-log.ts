/**
 * The witnessed log inside the API server (ADR 0009): the instance key, the feeder that logs every event
 * hash in final order, checkpoints signed at least every minute while events arrive (and on demand), and
 * the cosignatures member organizations' witnesses hand in.
 * @module
 */
import { type Actor, systemActor } from '@concord/domain';
import type { EventStore } from '@concord/event-store';
import {
  type Ed25519Signer,
  type NoteVerifier,
  nodeCrypto,
  parseCheckpoint,
  parseNote,
  parseSignatureLine,
  parseVerifierKey,
  signedTime,
  TransparencyLog,
  utf8,
} from '@concord/transparency';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Facts } from '../commands/context.ts';
import type { CommandBus } from '../commands/handle.ts';
import { derivedUuid } from '../commands/ids.ts';
import type { ApiDb } from '../db.ts';
import { ProblemError } from '../errors.ts';

/** How the server keeps its witnessed log. */
export interface WitnessedLogOptions {
  /** The instance key (type 0x01); its name is the log origin. */
  signer: Ed25519Signer;
  /**
   * Whether this process feeds the tree and signs (the primary, default true). A replica serves what the
   * primary stored and signs nothing: two feeders would race (`TreeConflictError`).
   */
  primary?: boolean;
  /** The least time between two checkpoints signed on their own (default 10 s; on demand ignores it). */
  minGapMs?: number;
  /** How often the timer looks for events not yet under a checkpoint (default 10 s). */
  tickMs?: number;
  /** How often the feeder looks for new events when nothing wakes it (default 1 s). */
  pollIntervalMs?: number;
}

/** A witness key in force: whose it is, and its verifier. */
interface RegisteredKey {
  organizationId: string;
  witnessKey: string;
  verifier: NoteVerifier;
}

const SYSTEM: Actor = systemActor('witnessed-log');

export class WitnessedLog {
  readonly origin: string;
  readonly primary: boolean;
  #feeder: { wake(): void; close(): Promise<void> } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastSignedAt: number | undefined;
  #cosigning: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly log: TransparencyLog,
    readonly signer: Ed25519Signer,
    private readonly deps: {
      store: EventStore;
      bus: CommandBus;
      facts: Facts;
      apiDb: ApiDb;
      clock: () => Date;
      logger: FastifyBaseLogger;
    },
    private readonly options: Required<Omit<WitnessedLogOptions, 'signer'>>,
  ) {
    this.origin = signer.name;
    this.primary = options.primary;
  }

  /** Opens the tree's tables in `db` (schema `transparency`). */
  static async open(
    deps: WitnessedLog['deps'] & { db: Parameters<typeof TransparencyLog.open>[0] },
    options: WitnessedLogOptions,
  ): Promise<WitnessedLog> {
    const { db, ...rest } = deps;
    return new WitnessedLog(await TransparencyLog.open(db), options.signer, rest, {
      primary: options.primary ?? true,
      minGapMs: options.minGapMs ?? 10_000,
      tickMs: options.tickMs ?? 10_000,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
    });
  }

  /** The key's verifier text, as published in LogKeyPublished. */
  get logKey(): string {
    return this.signer.verifierKey;
  }

  /**
   * On the primary: publishes the key (an event, only when it is new), then feeds the tree and signs
   * checkpoints as events arrive. The command id is derived from the key and the keys published so far, so
   * two starts racing record it once, and a return to an earlier key is recorded again.
   */
  async start(): Promise<void> {
    if (!this.primary) return;
    const { version } = await this.deps.bus.streams.load('log', 'log');
    const commandId = derivedUuid('log-key', this.logKey, String(version));
    const outcome = await this.deps.bus.execute(
      { type: 'PublishLogKey', actor: SYSTEM, now: this.deps.clock().toISOString(), publicKey: this.logKey },
      { commandId, correlationId: commandId },
    );
    if (!outcome.ok) throw new Error(`the log key could not be published: ${outcome.error.code}`);
    this.#feeder = this.log.follow(this.deps.store, {
      pollIntervalMs: this.options.pollIntervalMs,
      onSynced: () => this.#signIfDue().then(() => undefined),
      onError: (error) => this.deps.logger.warn({ err: error }, 'witnessed log: the feeder failed; retrying'),
    });
    this.#timer = setInterval(() => {
      this.tick().catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, 'witnessed log: signing a checkpoint failed'),
      );
    }, this.options.tickMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#feeder?.close();
    await this.#cosigning.catch(() => {});
  }

  /** Wakes the feeder (e.g. right after an append) instead of waiting for its next poll. */
  wake(): void {
    this.#feeder?.wake();
  }

  /**
   * Logs what the store has and signs a checkpoint when events are not yet under one and the last was
   * signed at least `minGapMs` ago (by the injected clock): the timer's step, callable from tests.
   */
  async tick(): Promise<string | undefined> {
    if (!this.primary) return undefined;
    await this.log.sync(this.deps.store);
    return this.#signIfDue();
  }

  async #signIfDue(): Promise<string | undefined> {
    const latest = await this.log.latestCheckpoint();
    if (latest && latest.size >= this.log.size) return undefined;
    const now = this.deps.clock().getTime();
    if (latest && this.#lastSignedAt !== undefined && now - this.#lastSignedAt < this.options.minGapMs)
      return undefined;
    return this.#sign();
  }

  async #sign(): Promise<string> {
    const note = await this.log.checkpoint(this.signer, { origin: this.origin });
    this.#lastSignedAt = this.deps.clock().getTime();
    return note;
  }

  /**
   * A checkpoint of everything logged now (after logging what the store has): a new one when the tree
   * grew, else the latest (re-signing its size would only drop the cosignatures it has gathered).
   */
  async checkpointNow(): Promise<{ size: number; note: string }> {
    if (!this.primary) {
      await this.log.reload();
      const latest = await this.log.latestCheckpoint();
      if (!latest) throw new ProblemError('CHECKPOINT_NOT_FOUND');
      return latest;
    }
    await this.log.sync(this.deps.store);
    const latest = await this.log.latestCheckpoint();
    if (latest && latest.size === this.log.size) return latest;
    const note = await this.#sign();
    return { size: this.log.size, note };
  }

  /** The latest checkpoint (cosignatures included), or the one of `size`. */
  async checkpoint(size?: number): Promise<{ size: number; note: string } | undefined> {
    if (!this.primary) await this.log.reload();
    return this.log.latestCheckpoint(size);
  }

  /**
   * When the checkpoint of `size` was signed, by the server's clock (null if none of that size). A C2SP
   * checkpoint carries no time; the audit page shows this one beside what the witnesses' cosignatures say.
   */
  async signedAt(size: number): Promise<string | null> {
    const signed = await sql<{ signed_at: Date | string }>`
      SELECT signed_at FROM transparency.checkpoints WHERE size = ${size}`.execute(this.deps.apiDb);
    const row = signed.rows[0];
    return row ? new Date(row.signed_at).toISOString() : null;
  }

  /**
   * The newest checkpoint of at most `size` events, preferring one witnesses cosigned: what an export of
   * the first `size` events carries so that it can be checked offline.
   */
  async checkpointFor(size: number): Promise<{ size: number; note: string } | undefined> {
    const cosigned = await sql<{ size: string | number }>`
      SELECT max(size) AS size FROM api.log_cosignatures WHERE size <= ${size}`.execute(this.deps.apiDb);
    const best = cosigned.rows[0]?.size;
    if (best !== null && best !== undefined) return this.log.latestCheckpoint(Number(best));
    const signed = await sql<{ size: string | number; note: string }>`
      SELECT size, note FROM transparency.checkpoints WHERE size <= ${size} ORDER BY size DESC LIMIT 1`.execute(
      this.deps.apiDb,
    );
    const row = signed.rows[0];
    return row ? { size: Number(row.size), note: row.note } : undefined;
  }

  /** Witness keys in force, of organizations that are members now. */
  async registeredKeys(): Promise<RegisteredKey[]> {
    const keys: RegisteredKey[] = [];
    for (const member of await this.deps.facts.members()) {
      if (member.status !== 'member') continue;
      for (const witnessKey of member.witnessKeys ?? []) {
        try {
          keys.push({
            organizationId: member.organizationId,
            witnessKey,
            verifier: await parseVerifierKey(witnessKey, nodeCrypto),
          });
        } catch {
          // Registration checks the key id; a key that does not parse cannot verify anything anyway.
        }
      }
    }
    return keys;
  }

  /**
   * Records a witness's cosignature of the checkpoint of `size`, after checking that an organization's
   * registered key made it (`organizationId`: the one the person handing it in represents) and that it
   * verifies; the checkpoint note then carries it. One at a time, so two witnesses never overwrite each
   * other's line.
   */
  addCosignature(input: { size: number; line: string; organizationId: string | null }): Promise<{
    organizationId: string;
    keyName: string;
    size: number;
    cosignedAt: string;
    receivedAt: string;
  }> {
    const run = this.#cosigning.then(() => this.#addCosignature(input));
    this.#cosigning = run.catch(() => {});
    return run;
  }

  async #addCosignature(input: { size: number; line: string; organizationId: string | null }) {
    let signature: ReturnType<typeof parseSignatureLine>;
    try {
      signature = parseSignatureLine(input.line);
    } catch (error) {
      throw new ProblemError('COSIGNATURE_INVALID', { detail: (error as Error).message });
    }
    const key = (await this.registeredKeys()).find(
      (k) => k.verifier.name === signature.name && k.verifier.keyId === signature.keyId,
    );
    if (!key) throw new ProblemError('WITNESS_KEY_NOT_REGISTERED', { details: { keyName: signature.name } });
    if (key.organizationId !== input.organizationId)
      throw new ProblemError('NOT_YOUR_ORGANIZATION', { details: { organizationId: key.organizationId } });
    const stored = await this.checkpoint(input.size);
    if (!stored) throw new ProblemError('CHECKPOINT_NOT_FOUND', { details: { size: input.size } });
    const { text } = parseNote(stored.note);
    if (!(await key.verifier.verify(utf8(text), signature.signature)))
      throw new ProblemError('COSIGNATURE_INVALID');
    const cosignedAt = new Date(signedTime(signature) * 1000);
    const receivedAt = this.deps.clock();
    await this.deps.apiDb
      .insertInto('api.log_cosignatures')
      .values({
        size: input.size,
        witness_key: key.witnessKey,
        key_name: signature.name,
        organization_id: key.organizationId,
        line: signature.line,
        cosigned_at: cosignedAt,
        received_at: receivedAt,
      })
      .onConflict((conflict) => conflict.columns(['size', 'witness_key']).doNothing())
      .execute();
    await this.#rewriteNote(input.size, stored.note);
    return {
      organizationId: key.organizationId,
      keyName: signature.name,
      size: input.size,
      cosignedAt: cosignedAt.toISOString(),
      receivedAt: receivedAt.toISOString(),
    };
  }

  /**
   * The note of `size` rebuilt: the text, the log's own signature lines (by the origin's name: a checkpoint
   * signed before a key rotation keeps its old key's line), then every cosignature kept, by key name.
   */
  async #rewriteNote(size: number, note: string): Promise<void> {
    const parsed = parseNote(note);
    const own = parsed.signatures.filter((s) => s.name === this.origin);
    const rows = await this.deps.apiDb
      .selectFrom('api.log_cosignatures')
      .select(['line'])
      .where('size', '=', size)
      .orderBy('key_name')
      .orderBy('witness_key')
      .execute();
    const lines = [...own.map((s) => s.line), ...rows.map((row) => row.line)];
    await this.log.saveCheckpoint({ size, note: `${parsed.text}\n${lines.join('')}` });
  }

  /** The latest cosignature of each witness key, newest first (the audit page's "who cosigned, when"). */
  async latestCosignatures() {
    const rows = await sql<{
      organization_id: string;
      key_name: string;
      size: string | number;
      cosigned_at: Date;
      received_at: Date;
    }>`
      SELECT DISTINCT ON (witness_key) organization_id, key_name, size, cosigned_at, received_at
        FROM api.log_cosignatures ORDER BY witness_key, size DESC`.execute(this.deps.apiDb);
    return rows.rows
      .map((row) => ({
        organizationId: row.organization_id,
        keyName: row.key_name,
        size: Number(row.size),
        cosignedAt: new Date(row.cosigned_at).toISOString(),
        receivedAt: new Date(row.received_at).toISOString(),
      }))
      .sort((a, b) => b.size - a.size || a.keyName.localeCompare(b.keyName));
  }

  /** The checkpoint's size and root, read from its note. */
  static summary(note: string): { size: number; root: string } {
    const checkpoint = parseCheckpoint(parseNote(note).text);
    return { size: checkpoint.size, root: Buffer.from(checkpoint.root).toString('base64') };
  }
}
