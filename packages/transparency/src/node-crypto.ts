/**
 * Node's synchronous primitives: SHA-256 for bulk tree hashing, Ed25519 for signing checkpoints and
 * cosignatures, and `nodeCrypto`, the `VerifyCrypto` on them.
 * @module
 */
import { createPrivateKey, createPublicKey, hash, type KeyObject, sign, verify } from 'node:crypto';
import type { VerifyCrypto } from './crypto.ts';

/** SHA-256 of `data`, one shot. */
export function sha256(data: Uint8Array): Uint8Array {
  return hash('sha256', data, 'buffer');
}

/** The DER prefixes of an Ed25519 key in PKCS #8 (private) and SPKI (public) form: the raw 32 bytes follow. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 private key from its 32-byte seed (RFC 8032's private key). */
export function ed25519PrivateKey(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** An Ed25519 public key from its 32 bytes. */
export function ed25519PublicKey(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** The 32 public-key bytes of an Ed25519 private key. */
export function ed25519PublicBytes(privateKey: KeyObject): Uint8Array {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** The 32-byte seed of an Ed25519 private key. */
export function ed25519Seed(privateKey: KeyObject): Uint8Array {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return new Uint8Array(der.subarray(der.length - 32));
}

/** An Ed25519 signature (64 bytes) of `message`. */
export function ed25519Sign(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKey));
}

/** Verification on node:crypto, answering synchronously. */
export const nodeCrypto: VerifyCrypto = {
  sha256,
  ed25519Verify(publicKey, message, signature) {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      return verify(null, message, ed25519PublicKey(publicKey), signature);
    } catch {
      return false;
    }
  },
};

const leafInput = Buffer.alloc(33);
const nodeInput = Buffer.alloc(65);
nodeInput[0] = 0x01;

/** RFC 9162 leaf hash `SHA-256(0x00 || leaf)`, synchronously (for bulk tree building). */
export function hashLeaf(leaf: Uint8Array): Uint8Array {
  if (leaf.length !== 32) return sha256(Buffer.concat([leafInput.subarray(0, 1), leaf]));
  leafInput.set(leaf, 1);
  return hash('sha256', leafInput, 'buffer');
}

/** RFC 9162 node hash `SHA-256(0x01 || left || right)`, synchronously. */
export function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return hash('sha256', nodeInput, 'buffer');
}

/** `SHA-256("")`: the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));
