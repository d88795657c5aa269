/**
 * The two primitives verification needs, behind one small interface so the same verification code runs
 * on Node's synchronous `node:crypto` (`nodeCrypto` in node-crypto.ts) and on a browser's asynchronous
 * WebCrypto (`webCrypto` here). Each may answer directly or with a promise; callers always `await`.
 * @module
 */

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

export interface VerifyCrypto {
  /** SHA-256 of `data`. */
  sha256(data: Uint8Array): Awaitable<Uint8Array>;
  /** Whether `signature` is a valid Ed25519 (RFC 8032) signature of `message` by the 32-byte `publicKey`. */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Awaitable<boolean>;
}

/** What WebCrypto's `subtle` must offer (Chromium, Firefox, Safari, Node ≥ 20 all have Ed25519 now). */
interface Subtle {
  digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer>;
  importKey(
    format: 'raw',
    key: Uint8Array,
    algorithm: { name: string },
    extractable: boolean,
    usages: string[],
  ): Promise<unknown>;
  verify(
    algorithm: string | { name: string },
    key: unknown,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
}

/** The primitives on WebCrypto (`globalThis.crypto.subtle`, or the `subtle` given). */
export function webCrypto(subtle?: Subtle): VerifyCrypto {
  const s = subtle ?? (globalThis.crypto?.subtle as unknown as Subtle | undefined);
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available here');
  return {
    async sha256(data) {
      return new Uint8Array(await s.digest('SHA-256', data));
    },
    async ed25519Verify(publicKey, message, signature) {
      if (publicKey.length !== 32 || signature.length !== 64) return false;
      try {
        const key = await s.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
        return await s.verify({ name: 'Ed25519' }, key, signature, message);
      } catch {
        return false;
      }
    },
  };
}
