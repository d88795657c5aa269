/**
 * `concord witness`: a member organization's witness of the coalition's log (ADR 0009), run on the
 * organization's own machine with its own key file and state file. It fetches the latest checkpoint and a
 * consistency proof from the last one it cosigned, verifies both, cosigns, and hands the cosignature in;
 * anything that does not extend what it saw before is refused, with both signed checkpoints as evidence.
 * @module
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import {
  COSIGNATURE_TYPE,
  Ed25519Signer,
  FileWitnessState,
  fromBase64,
  parseCheckpoint,
  parseNote,
  splitKey,
  Witness,
} from '@concord/transparency';
import { CliError, EXIT, reason, unavailable, usage } from '../errors.ts';
import { sessionCookie } from '../session.ts';

/** Where a witness talks to: the server and how it signs in (a representative of the organization). */
export interface WitnessOptions {
  url: string;
  /** The organization's witness key file (`PRIVATE+KEY+…`, type 0x04, mode 0600). */
  keyFile: string;
  /** The last checkpoint it cosigned, per log (created on first use). */
  stateFile: string;
  /** The log's verifier key, learnt out of band (`GET /api/log` shows it; compare it with a colleague). */
  logKey: string;
  env: NodeJS.ProcessEnv;
  /** POSIX seconds (tests fix it). */
  now?: () => number;
}

type Out = { write(text: string): unknown };

/** `concord witness --new-key FILE --name NAME`: a new witness key (never over an existing file); prints its public key. */
export function newWitnessKey(file: string, name: string, out: Out): number {
  let signer: Ed25519Signer;
  try {
    signer = Ed25519Signer.generate(name, COSIGNATURE_TYPE);
  } catch (error) {
    throw usage(`--name: ${reason(error)}`);
  }
  try {
    writeFileSync(file, `${signer.keyString}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      throw usage(`${file} exists: a witness key is never overwritten`);
    throw error;
  }
  out.write(
    `witness key written to ${file} (keep it on this machine, mode 0600)\n` +
      `register this public key for your organization (portal, or POST /api/members/<organization>/witness-keys):\n` +
      `${signer.verifierKey}\n`,
  );
  return EXIT.ok;
}

function loadKey(file: string): Ed25519Signer {
  let text: string;
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0)
      throw usage(`${file} may be read by others: chmod 600 it`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw usage(`cannot read the witness key ${file}: ${reason(error)}`);
  }
  let signer: Ed25519Signer;
  try {
    signer = Ed25519Signer.fromKeyString(text);
  } catch (error) {
    throw usage(`${file}: ${reason(error)}`);
  }
  if (signer.type !== COSIGNATURE_TYPE) throw usage(`${file} holds a log key, not a witness key (type 0x04)`);
  return signer;
}

/** Runs one round: fetch, verify, cosign, hand in. 0 when cosigned, 1 when refused (with evidence). */
export async function witness(options: WitnessOptions, out: Out, err: Out): Promise<number> {
  const base = options.url.replace(/\/+$/, '');
  const cosigner = loadKey(options.keyFile);
  let origin: string;
  try {
    [origin] = splitKey(options.logKey);
  } catch (error) {
    throw usage(`--log-key: ${reason(error)}`);
  }
  const cookie = await sessionCookie(
    base,
    options.env,
    'witness needs CONCORD_EMAIL and CONCORD_PASSWORD (a representative), or CONCORD_SESSION',
  );
  const get = async (path: string): Promise<Response> => {
    const response = await fetch(`${base}${path}`, { headers: { cookie } }).catch((error: unknown) => {
      throw unavailable(`cannot reach ${base}: ${reason(error)}`);
    });
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as { title?: string };
      throw new CliError(
        `GET ${path}: ${response.status}${problem.title ? ` ${problem.title}` : ''}`,
        EXIT.failed,
      );
    }
    return response;
  };

  let witness: Witness;
  try {
    witness = await Witness.create({
      cosigner,
      logs: { [origin]: [options.logKey] },
      state: new FileWitnessState(options.stateFile),
      now: options.now,
    });
  } catch (error) {
    throw usage(`--log-key: ${reason(error)}`);
  }
  const note = await (await get('/api/log/checkpoint')).text();
  let offered: ReturnType<typeof parseCheckpoint>;
  try {
    offered = parseCheckpoint(parseNote(note).text);
  } catch (error) {
    err.write(`REFUSED: the server's checkpoint is malformed: ${reason(error)}\n`);
    return EXIT.failed;
  }
  const held = await witness.held(origin);
  const heldSize = held === undefined ? 0 : parseCheckpoint(parseNote(held).text).size;
  // A proof only where one can exist: from a smaller held tree to the larger offered one. A smaller or equal
  // offer goes without one, and the witness refuses a rollback or a fork with both checkpoints.
  let proof: Uint8Array[] = [];
  if (held !== undefined && offered.size > heldSize && offered.origin === origin) {
    const body = (await (
      await get(`/api/log/proofs/consistency?from=${heldSize}&to=${offered.size}`)
    ).json()) as { proof: string[] };
    proof = body.proof.map((hash) => fromBase64(hash));
  }
  const answer = await witness.cosign({ oldSize: heldSize, proof, checkpoint: note });
  if (!answer.ok) {
    err.write(`REFUSED: ${answer.reason}: ${answer.detail}\n`);
    if (answer.evidence) {
      err.write(
        `evidence: two checkpoints signed by the log that cannot both be true.\n` +
          `--- the checkpoint this witness cosigned before ---\n${answer.evidence.previous}` +
          `--- the checkpoint offered now ---\n${answer.evidence.offered}` +
          (answer.evidence.proof.length
            ? `--- the consistency proof offered ---\n${answer.evidence.proof.join('\n')}\n`
            : ''),
      );
    }
    return EXIT.failed;
  }
  const response = await fetch(`${base}/api/log/cosignatures`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ size: offered.size, cosignature: answer.cosignatures[0] }),
  }).catch((error: unknown) => {
    throw unavailable(`cannot reach ${base}: ${reason(error)}`);
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { title?: string };
    err.write(
      `cosigned size ${offered.size}, but the server refused the cosignature (${response.status}${problem.title ? `: ${problem.title}` : ''})\n`,
    );
    return EXIT.failed;
  }
  out.write(
    `cosigned: ${origin} size ${offered.size} root ${Buffer.from(offered.root).toString('base64')}` +
      `${heldSize > 0 ? ` (consistent with size ${heldSize})` : ' (first checkpoint seen)'}\n`,
  );
  return EXIT.ok;
}
