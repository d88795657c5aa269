/**
 * The instance's signing key on disk: created on first use (a random Ed25519 key, file mode 0600 in a
 * directory of mode 0700), loaded afterwards, or given in configuration as a `PRIVATE+KEY+…` string.
 * @module
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type COSIGNATURE_TYPE, ED25519_TYPE } from './note.ts';
import { Ed25519Signer } from './signer.ts';

export interface KeyFileOptions {
  /** File name inside the directory; `log.key` by default (`witness.key` suits a witness). */
  file?: string;
  /** 0x01 for a log (signs checkpoints), 0x04 for a witness (signs cosignatures). */
  type?: typeof ED25519_TYPE | typeof COSIGNATURE_TYPE;
  /**
   * An existing key file keeps its own name (`name` only names a new key). For a name that was a
   * default (e.g. derived from an address that may change), not one the operator chose.
   */
  keepName?: boolean;
}

/**
 * The key named `name` kept in `directory`: read when the file exists, created (never overwritten)
 * otherwise. Refuses a key file that others than its owner may read, and a file holding a key of
 * another name or type.
 */
export function loadOrCreateSigner(
  directory: string,
  name: string,
  options: KeyFileOptions = {},
): Ed25519Signer {
  const type = options.type ?? ED25519_TYPE;
  const path = join(directory, options.file ?? 'log.key');
  const existing = readKeyFile(path);
  if (existing !== undefined) {
    const signer = Ed25519Signer.fromKeyString(existing);
    return checked(signer, options.keepName ? signer.name : name, type, path);
  }
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const signer = Ed25519Signer.generate(name, type);
  try {
    writeFileSync(path, `${signer.keyString}\n`, { mode: 0o600, flag: 'wx' });
    return signer;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return checked(Ed25519Signer.fromKeyString(readKeyFile(path)!), name, type, path);
  }
}

/** The key from configuration (a `PRIVATE+KEY+…` string), checked against the expected name and type. */
export function signerFromConfig(
  value: string,
  name: string,
  type: typeof ED25519_TYPE | typeof COSIGNATURE_TYPE = ED25519_TYPE,
): Ed25519Signer {
  return checked(Ed25519Signer.fromKeyString(value), name, type, 'the configured key');
}

function readKeyFile(path: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new Error(`${path} may be read by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`);
  }
  return readFileSync(path, 'utf8');
}

function checked(signer: Ed25519Signer, name: string, type: number, where: string): Ed25519Signer {
  if (signer.name !== name) throw new Error(`${where} holds the key of ${signer.name}, not ${name}`);
  if (signer.type !== type) throw new Error(`${where} holds a key of type ${signer.type}, not ${type}`);
  return signer;
}
