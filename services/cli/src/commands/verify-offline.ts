/**
 * `concord verify --export FILE --trusted-keys FILE [--checkpoint FILE] [--witnesses N]`: an auditor's
 * check of an export with no database and no trust in the host (docs/verification.md §7): the checkpoint's
 * log signature and N witness cosignatures from trusted keys, every hash chain and stream head, the
 * Merkle root of the exported events against the checkpoint, and every effect of a decision recomputed
 * from the adopted decision it cites. Each failure is one line naming the reason.
 * @module
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { toHistoryEvent } from '@concord/api/effects';
import { checkEffects, effectReport, finishEffects, initialEffectCheck } from '@concord/domain';
import { verifyExportLines } from '@concord/event-store';
import {
  CheckpointMatcher,
  COSIGNATURE_TYPE,
  ED25519_TYPE,
  type NoteVerifier,
  nodeCrypto,
  parseVerifierKey,
  type VerifiedCheckpoint,
  verifyCheckpoint,
} from '@concord/transparency';
import { EXIT, reason, usage } from '../errors.ts';
import { effectProblems } from './verify.ts';

export interface OfflineOptions {
  exportFile: string;
  /** A signed checkpoint note; the export's own last line when absent. */
  checkpointFile?: string;
  /** One verifier key per line (`#` comments): type 0x01 keys are the log's, 0x04 keys witnesses'. */
  trustedKeysFile: string;
  /** Cosignatures from distinct trusted witness keys required (default 1). */
  witnesses: number;
  /** Accept events after the checkpoint (reported, not refused): an export newer than any witnessed checkpoint. */
  allowUnwitnessed?: boolean;
}

type Out = { write(text: string): unknown };

function lines(file: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
}

async function trustedKeys(file: string): Promise<{ logKeys: NoteVerifier[]; witnessKeys: NoteVerifier[] }> {
  if (!existsSync(file)) throw usage(`no such file: ${file}`);
  const logKeys: NoteVerifier[] = [];
  const witnessKeys: NoteVerifier[] = [];
  for (const [index, raw] of readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    let key: NoteVerifier;
    try {
      key = await parseVerifierKey(line, nodeCrypto);
    } catch (error) {
      throw usage(`${file} line ${index + 1}: ${reason(error)}`);
    }
    (key.type === ED25519_TYPE ? logKeys : witnessKeys).push(key);
  }
  if (logKeys.length === 0) throw usage(`${file} names no log key (a name+keyid+key of type 0x01)`);
  return { logKeys, witnessKeys };
}

/** The export's last line's checkpoint, if it ends with one. */
async function embeddedCheckpoint(file: string): Promise<string | undefined> {
  let last: string | undefined;
  for await (const line of lines(file)) if (line.trim() !== '') last = line;
  if (!last?.startsWith('{"checkpoint"')) return undefined;
  try {
    const parsed = JSON.parse(last) as { checkpoint?: unknown };
    return typeof parsed.checkpoint === 'string' ? parsed.checkpoint : undefined;
  } catch {
    return undefined;
  }
}

export async function verifyOffline(options: OfflineOptions, out: Out): Promise<number> {
  const fail = (what: string) => {
    out.write(`FAILED: ${what}\n`);
    return EXIT.failed;
  };
  if (!existsSync(options.exportFile)) throw usage(`no such file: ${options.exportFile}`);
  const { logKeys, witnessKeys } = await trustedKeys(options.trustedKeysFile);
  if (options.witnesses > witnessKeys.length)
    throw usage(
      `--witnesses ${options.witnesses}, but ${options.trustedKeysFile} trusts ${witnessKeys.length} witness keys`,
    );
  let note: string | undefined;
  if (options.checkpointFile) {
    if (!existsSync(options.checkpointFile)) throw usage(`no such file: ${options.checkpointFile}`);
    note = readFileSync(options.checkpointFile, 'utf8');
  } else {
    note = await embeddedCheckpoint(options.exportFile);
    if (note === undefined)
      throw usage('the export ends with no checkpoint: give one with --checkpoint FILE');
  }

  // 1. The checkpoint: the log's signature (any trusted log key: keys rotate) and the witnesses' quorum.
  let verified: VerifiedCheckpoint | undefined;
  let problem = 'no trusted log key signed it';
  for (const logKey of logKeys) {
    try {
      verified = await verifyCheckpoint(note, {
        logKey,
        witnessKeys: witnessKeys.filter((key) => key.type === COSIGNATURE_TYPE),
        quorum: options.witnesses,
        crypto: nodeCrypto,
      });
      break;
    } catch (error) {
      problem = reason(error);
    }
  }
  if (!verified) return fail(`checkpoint: ${problem}`);
  const { checkpoint } = verified;

  // 2. Every chain and stream head, while 3. the first `size` event hashes build the tree and 4. the
  // effect check follows the events (in global order, as exported).
  const matcher = new CheckpointMatcher(checkpoint);
  const effectCheck = initialEffectCheck();
  let chains: Awaited<ReturnType<typeof verifyExportLines>>;
  try {
    chains = await verifyExportLines(lines(options.exportFile), {
      onEvent: (event) => {
        matcher.push(event.hash);
        checkEffects(effectCheck, toHistoryEvent(event));
      },
    });
  } catch (error) {
    return fail(`export: ${reason(error)}`);
  }
  if (!chains.ok) {
    const bad = chains.firstBad;
    return fail(
      `chain: ${bad.problem} at stream ${bad.streamId} position ${bad.streamPosition}` +
        `${bad.globalPosition === null ? '' : ` (global position ${bad.globalPosition})`}: ${bad.detail}`,
    );
  }
  if (chains.events > 0 && chains.streamHeads === 0)
    return fail('export: no stream heads (a partial export, --from?): a removed tail would not show');
  const tree = matcher.result();
  if (!tree.ok)
    return fail(
      `log: ${tree.problem === 'short' ? 'events missing' : 'root mismatch'} against checkpoint ${checkpoint.origin} size ${checkpoint.size}: ${tree.detail}`,
    );
  const after = chains.events - checkpoint.size;
  if (after > 0 && !options.allowUnwitnessed)
    return fail(
      `unwitnessed: the export's last ${after} event(s) come after checkpoint ${checkpoint.origin} size ${checkpoint.size}: no witness has seen them (--allow-unwitnessed to check the rest)`,
    );
  finishEffects(effectCheck);
  const effects = effectReport(effectCheck);
  if (!effects.ok) return fail(`effects: ${effectProblems(effects)}`);
  const cosigners = verified.cosigners
    .map(({ name, time }) => `${name} at ${new Date(time * 1000).toISOString()}`)
    .join(', ');
  out.write(
    `ok: ${chains.events} events and ${chains.streamHeads} stream heads verified; the first ${checkpoint.size} ` +
      `make the root of checkpoint ${checkpoint.origin} size ${checkpoint.size}, signed by the log` +
      `${cosigners ? ` and cosigned by ${cosigners}` : ''}` +
      `${after > 0 ? `; ${after} later event(s) not yet witnessed` : ''}` +
      `; ${effects.effects} effects of ${effects.decisions} adopted decisions match them\n`,
  );
  return EXIT.ok;
}
