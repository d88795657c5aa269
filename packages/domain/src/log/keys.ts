import { z } from 'zod';

/**
 * A signed-note verifier key as text (`name+hex(key id)+base64(type || 32-byte Ed25519 key)`,
 * docs/verification.md §4): the name is printable ASCII without `+` or space, the key id 8 lower-case hex
 * digits, the key 33 bytes in base64 (44 characters, no padding). The domain checks the shape only; the
 * API also checks the key id against the name and key before it issues a command with one.
 */
export function verifierKeySchema(type: 'log' | 'witness') {
  // The type byte 0x01 makes base64 that starts "A" then one of Q–f; 0x04 makes "B" then one of A–P.
  const material = type === 'log' ? 'A[Q-Za-f]' : 'B[A-P]';
  return z
    .string()
    .max(300)
    .regex(
      new RegExp(`^[!-*,-~]{1,200}\\+[0-9a-f]{8}\\+${material}[A-Za-z0-9+/]{42}$`),
      type === 'log'
        ? 'a log verifier key: name+keyid+base64(0x01 || Ed25519 public key)'
        : 'a witness verifier key: name+keyid+base64(0x04 || Ed25519 public key)',
    );
}

/** The name part of a verifier key text (before its first `+`). */
export function keyNameOf(verifierKey: string): string {
  return verifierKey.slice(0, verifierKey.indexOf('+'));
}
