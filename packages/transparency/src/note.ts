/**
 * C2SP signed notes (c2sp.org/signed-note), browser-safe: the note format, key ids, verifier keys
 * (`name+hex(key id)+base64(type || public key)`), and opening a note with trusted verifiers.
 *
 * A signed note is a text ending in a newline, a blank line, then one or more signature lines
 * `— <name> <base64(key id (4 bytes, big-endian) || signature)>` (em dash U+2014, space). The signatures
 * cover the text including its final newline, not the blank line.
 * @module
 */
import { concat, fromBase64, fromUtf8, toBase64, toHex, utf8 } from './bytes.ts';
import type { Awaitable, VerifyCrypto } from './crypto.ts';

/** Signature type of Ed25519 signatures over the note text (signed-note). */
export const ED25519_TYPE = 0x01;
/** Signature type of timestamped Ed25519 cosignatures (c2sp.org/tlog-cosignature). */
export const COSIGNATURE_TYPE = 0x04;

/** The em dash and space that start every signature line. */
export const SIGNATURE_PREFIX = '\u2014 ';

/** Most signature lines a note may carry here (the spec asks verifiers to accept at least 16). */
export const MAX_SIGNATURES = 100;

/** A key name: non-empty, no Unicode space, no plus sign. */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name);
}

/** `SHA-256(name || 0x0A || type || public key)[:4]` as a big-endian unsigned 32-bit number. */
export async function keyId(
  crypto: VerifyCrypto,
  name: string,
  type: number,
  publicKey: Uint8Array,
): Promise<number> {
  const digest = await crypto.sha256(concat(utf8(name), Uint8Array.of(0x0a, type), publicKey));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0);
}

/** Four big-endian bytes. */
export function keyIdBytes(id: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, id);
  return out;
}

/** A key that can check signature lines of one name and key id. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly type: number;
  readonly publicKey: Uint8Array;
  /**
   * Whether `signature` (the signature line's bytes after the key id) is valid for `text` (the note text,
   * including its final newline). For a cosignature it also yields the signed time.
   */
  verify(text: Uint8Array, signature: Uint8Array): Awaitable<boolean>;
}

/** `name+hex(key id)+base64(type || public key)`. */
export function formatVerifierKey(name: string, id: number, type: number, publicKey: Uint8Array): string {
  return `${name}+${toHex(keyIdBytes(id))}+${toBase64(concat(Uint8Array.of(type), publicKey))}`;
}

/** The message a cosignature signs: `cosignature/v1\ntime <seconds>\n` then the note text. */
export function cosignatureMessage(text: Uint8Array, timestamp: number | bigint): Uint8Array {
  return concat(utf8(`cosignature/v1\ntime ${BigInt(timestamp).toString()}\n`), text);
}

/** The time (POSIX seconds) in a cosignature's signature bytes (8 big-endian bytes before the Ed25519 signature). */
export function cosignatureTime(signature: Uint8Array): bigint {
  if (signature.length !== 72) throw new Error('a cosignature is 8 bytes of time and a 64-byte signature');
  return new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
}

/**
 * A verifier from its verifier key text. Types 0x01 (Ed25519 note signatures) and 0x04 (Ed25519
 * cosignatures) are known; the key id in the text must be the one the name and key compute to.
 */
export async function parseVerifierKey(vkey: string, crypto: VerifyCrypto): Promise<NoteVerifier> {
  // The key material is base64 and may itself hold '+': split at the first two only.
  const [name, hexId, material] = splitKey(vkey);
  if (!isKeyName(name)) throw new Error('invalid key name');
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw new Error('a key id is 8 lower-case hex digits');
  const bytes = fromBase64(material);
  const type = bytes[0];
  const publicKey = bytes.subarray(1);
  if ((type !== ED25519_TYPE && type !== COSIGNATURE_TYPE) || publicKey.length !== 32) {
    throw new Error('only Ed25519 (0x01) and Ed25519 cosignature (0x04) keys are supported');
  }
  const id = await keyId(crypto, name, type, publicKey);
  if (toHex(keyIdBytes(id)) !== hexId) throw new Error('the key id does not match the name and key');
  return {
    name,
    keyId: id,
    type,
    publicKey,
    verify(text, signature) {
      if (type === ED25519_TYPE) return crypto.ed25519Verify(publicKey, text, signature);
      if (signature.length !== 72) return false;
      const time = cosignatureTime(signature);
      if (time >= 2n ** 63n) return false;
      return crypto.ed25519Verify(publicKey, cosignatureMessage(text, time), signature.subarray(8));
    },
  };
}

/** `name+keyid+material` into its three parts (the material may contain '+'). */
export function splitKey(text: string): [name: string, keyId: string, material: string] {
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (first <= 0 || second < 0) throw new Error('a key is name+keyid+key');
  return [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)];
}

/** One signature line of a note. */
export interface NoteSignature {
  name: string;
  keyId: number;
  /** The bytes after the key id. */
  signature: Uint8Array;
  /** The whole line, with its newline. */
  line: string;
}

/** Parses one `— name base64` line (with or without its final newline). */
export function parseSignatureLine(line: string): NoteSignature {
  const body = line.endsWith('\n') ? line.slice(0, -1) : line;
  if (!body.startsWith(SIGNATURE_PREFIX))
    throw new Error('a signature line starts with an em dash and a space');
  const rest = body.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space <= 0) throw new Error('a signature line is "— name signature"');
  const name = rest.slice(0, space);
  if (!isKeyName(name)) throw new Error('invalid key name in a signature line');
  const bytes = fromBase64(rest.slice(space + 1));
  if (bytes.length < 5) throw new Error('a signature is a key id and at least one byte');
  return {
    name,
    keyId: new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0),
    signature: bytes.subarray(4),
    line: `${body}\n`,
  };
}

/** `— name base64(key id || signature)` and a newline. */
export function formatSignatureLine(name: string, id: number, signature: Uint8Array): string {
  if (!isKeyName(name)) throw new Error('invalid key name');
  return `${SIGNATURE_PREFIX}${name} ${toBase64(concat(keyIdBytes(id), signature))}\n`;
}

/** Throws unless `text` can be a note text: non-empty, ends in a newline, no control character but newline. */
export function assertNoteText(text: string): void {
  if (text.length === 0 || !text.endsWith('\n')) throw new Error('a note text ends with a newline');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text))
    throw new Error('a note has no control characters but newlines');
}

/** A note split into its text and signature lines (nothing verified yet). */
export interface ParsedNote {
  /** The signed text, including its final newline. */
  text: string;
  signatures: NoteSignature[];
}

/** Splits a signed note at its last blank line; throws on anything malformed. */
export function parseNote(note: string): ParsedNote {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note))
    throw new Error('a note has no control characters but newlines');
  if (!note.endsWith('\n')) throw new Error('a signed note ends with a newline');
  fromUtf8(utf8(note)); // lone surrogates would not survive: refuse them
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('a signed note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length === 0 || lines[0] === '') throw new Error('a signed note has at least one signature');
  if (lines.length > MAX_SIGNATURES) throw new Error(`a note may carry at most ${MAX_SIGNATURES} signatures`);
  return { text, signatures: lines.map((line) => parseSignatureLine(line)) };
}

/** A note whose text was verified by at least one trusted key. */
export interface OpenedNote {
  text: string;
  /** The trusted keys whose signatures verified, with their lines. */
  verified: { verifier: NoteVerifier; signature: NoteSignature }[];
  /** Signature lines from keys not given (ignored, as the spec says). */
  unknown: NoteSignature[];
}

/**
 * Verifies a note against trusted keys: signatures from other keys are ignored; a signature from a
 * trusted key that fails rejects the whole note; at least one trusted signature must verify.
 */
export async function openNote(note: string, verifiers: readonly NoteVerifier[]): Promise<OpenedNote> {
  const parsed = parseNote(note);
  const textBytes = utf8(parsed.text);
  const verified: OpenedNote['verified'] = [];
  const unknown: NoteSignature[] = [];
  const seen = new Set<NoteVerifier>();
  for (const signature of parsed.signatures) {
    const verifier = verifiers.find((v) => v.name === signature.name && v.keyId === signature.keyId);
    if (!verifier) {
      unknown.push(signature);
      continue;
    }
    if (seen.has(verifier)) continue;
    if (!(await verifier.verify(textBytes, signature.signature))) {
      throw new Error(`the signature of ${signature.name} does not verify`);
    }
    seen.add(verifier);
    verified.push({ verifier, signature });
  }
  if (verified.length === 0) throw new Error('no trusted key signed this note');
  return { text: parsed.text, verified, unknown };
}

/** The time of a cosignature line from a verifier of type 0x04 (POSIX seconds). */
export function signedTime(signature: NoteSignature): number {
  return Number(cosignatureTime(signature.signature));
}
