/**
 * @concord/transparency: the witnessed log (an RFC 9162 Merkle tree over the event hashes), C2SP
 * signed checkpoints and cosignatures, witnesses, and their verification. Node entry; `./browser` is the
 * browser-safe subset.
 * @module
 */
export * from './browser.ts';
export * from './export-check.ts';
export * from './instance-key.ts';
export * from './kysely-storage.ts';
export * from './log.ts';
export { EMPTY_ROOT, hashLeaf, hashNode, nodeCrypto, sha256 } from './node-crypto.ts';
export * from './signer.ts';
export * from './storage.ts';
export * from './tree.ts';
export * from './witness.ts';
