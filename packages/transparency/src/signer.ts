/**
 * Ed25519 signers on node:crypto: a log's key (signed-note type 0x01, signs checkpoints) and a witness's
 * key (type 0x04, signs cosignatures). Keys travel as text in the form Go's `sumdb/note` uses:
 * `PRIVATE+KEY+<name>+<hex key id>+<base64(type || 32-byte seed)>`.
 * @module
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { concat, fromBase64, toBase64, toHex, uint64, utf8 } from './bytes.ts';
import {
  ed25519PrivateKey,
  ed25519PublicBytes,
  ed25519Seed,
  ed25519Sign,
  nodeCrypto,
  sha256,
} from './node-crypto.ts';
import {
  assertNoteText,
  COSIGNATURE_TYPE,
  cosignatureMessage,
  ED25519_TYPE,
  formatSignatureLine,
  formatVerifierKey,
  isKeyName,
  keyIdBytes,
  type NoteVerifier,
  parseVerifierKey,
  splitKey,
} from './note.ts';

/** `SHA-256(name || 0x0A || type || public key)[:4]`, synchronously. */
function computeKeyId(name: string, type: number, publicKey: Uint8Array): number {
  const digest = sha256(concat(utf8(name), Uint8Array.of(0x0a, type), publicKey));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/** An Ed25519 key with a name: signs notes (type 0x01) or cosignatures (type 0x04). */
export class Ed25519Signer {
  readonly publicKey: Uint8Array;
  readonly keyId: number;
  readonly #key: KeyObject;

  private constructor(
    readonly name: string,
    readonly type: typeof ED25519_TYPE | typeof COSIGNATURE_TYPE,
    key: KeyObject,
  ) {
    if (!isKeyName(name)) throw new Error(`invalid key name ${JSON.stringify(name)}`);
    this.#key = key;
    this.publicKey = ed25519PublicBytes(key);
    this.keyId = computeKeyId(name, type, this.publicKey);
  }

  /** A fresh random key. */
  static generate(
    name: string,
    type: typeof ED25519_TYPE | typeof COSIGNATURE_TYPE = ED25519_TYPE,
  ): Ed25519Signer {
    return new Ed25519Signer(name, type, generateKeyPairSync('ed25519').privateKey);
  }

  /** The key with this 32-byte seed (RFC 8032 private key): for fixed test keys. */
  static fromSeed(
    name: string,
    seed: Uint8Array,
    type: typeof ED25519_TYPE | typeof COSIGNATURE_TYPE = ED25519_TYPE,
  ): Ed25519Signer {
    return new Ed25519Signer(name, type, ed25519PrivateKey(seed));
  }

  /** The key from its `PRIVATE+KEY+…` text; the key id in it must match. */
  static fromKeyString(text: string): Ed25519Signer {
    const trimmed = text.trim();
    if (!trimmed.startsWith('PRIVATE+KEY+')) throw new Error('a private key is PRIVATE+KEY+name+keyid+key');
    const [name, hexId, material] = splitKey(trimmed.slice('PRIVATE+KEY+'.length));
    const bytes = fromBase64(material);
    const type = bytes[0];
    if ((type !== ED25519_TYPE && type !== COSIGNATURE_TYPE) || bytes.length !== 33) {
      throw new Error('only Ed25519 keys (type 0x01 or 0x04) are supported');
    }
    const signer = Ed25519Signer.fromSeed(name, bytes.subarray(1), type);
    if (toHex(keyIdBytes(signer.keyId)) !== hexId) throw new Error('the key id does not match the key');
    return signer;
  }

  /** The private key as text (keep it secret: file mode 0600). */
  get keyString(): string {
    return `PRIVATE+KEY+${this.name}+${toHex(keyIdBytes(this.keyId))}+${toBase64(concat(Uint8Array.of(this.type), ed25519Seed(this.#key)))}`;
  }

  /** The public verifier key text `name+keyid+base64(type || public key)`, for witnesses and clients. */
  get verifierKey(): string {
    return formatVerifierKey(this.name, this.keyId, this.type, this.publicKey);
  }

  /** A verifier for this key on node:crypto. */
  verifier(): Promise<NoteVerifier> {
    return parseVerifierKey(this.verifierKey, nodeCrypto);
  }

  /** The signature line of a type-0x01 key over a note text (which must end in a newline). */
  signatureLine(text: string): string {
    if (this.type !== ED25519_TYPE) throw new Error('a cosigner key signs cosignatures, not notes');
    assertNoteText(text);
    return formatSignatureLine(this.name, this.keyId, ed25519Sign(this.#key, utf8(text)));
  }

  /**
   * The cosignature line of a type-0x04 key over a checkpoint's note text at `timestamp` (POSIX seconds):
   * `— name base64(key id || timestamp (8 bytes) || Ed25519 signature of the cosignature/v1 message)`.
   */
  cosignatureLine(text: string, timestamp: number): string {
    if (this.type !== COSIGNATURE_TYPE) throw new Error('a note key signs notes, not cosignatures');
    if (!Number.isSafeInteger(timestamp) || timestamp < 0)
      throw new Error('a timestamp is whole seconds ≥ 0');
    assertNoteText(text);
    const signature = ed25519Sign(this.#key, cosignatureMessage(utf8(text), timestamp));
    return formatSignatureLine(this.name, this.keyId, concat(uint64(timestamp), signature));
  }
}

/** A signed note: the text, a blank line, then a signature line from each signer. */
export function signNote(text: string, signers: readonly Ed25519Signer[]): string {
  if (signers.length === 0) throw new Error('a note needs at least one signature');
  return `${text}\n${signers.map((signer) => signer.signatureLine(text)).join('')}`;
}

/** `note` with more signature lines (e.g. cosignatures) appended after its existing ones. */
export function addSignatureLines(note: string, lines: readonly string[]): string {
  return note + lines.map((line) => (line.endsWith('\n') ? line : `${line}\n`)).join('');
}
