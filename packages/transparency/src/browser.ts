/**
 * @concord/transparency for browsers: everything needed to verify, nothing that signs or stores, and no
 * Node built-in. Use with `webCrypto()` (Ed25519 and SHA-256 through `crypto.subtle`).
 * @module
 */
export * from './bytes.ts';
export * from './checkpoint.ts';
export * from './crypto.ts';
export * from './note.ts';
export * from './rfc9162.ts';
export * from './verify-checkpoint.ts';
export * from './witness-core.ts';
