import { createHash } from 'node:crypto';

/**
 * A UUID derived from a seed (RFC 9562 version 8, "custom"): the same command always creates the same
 * ids and events, so a retried command is recognised by the store instead of applied twice.
 */
export function derivedUuid(...seed: string[]): string {
  const bytes = createHash('sha256').update(seed.join('\u0000')).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
