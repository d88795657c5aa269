import { createHmac, timingSafeEqual } from 'node:crypto';
import { type NotificationKind, notificationKinds } from '@concord/contracts';

/** What an unsubscribe link turns off: one kind, or the digest. */
export type Unsubscribable = NotificationKind | 'digest';

function mac(secret: string, personId: string, what: Unsubscribable): string {
  return createHmac('sha256', secret).update(`${personId}\n${what}`).digest('base64url');
}

/**
 * The token of a one-click unsubscribe link (RFC 8058: it must work without signing in): the person, the
 * kind, and an HMAC with the person's own secret, so a link turns off only what it says, for whom it says.
 */
export function unsubscribeToken(secret: string, personId: string, what: Unsubscribable): string {
  return `${Buffer.from(personId).toString('base64url')}.${what}.${mac(secret, personId, what)}`;
}

/** The person and kind a token names, before its HMAC is checked (null when it is not one). */
export function parseUnsubscribeToken(token: string): { personId: string; what: Unsubscribable } | null {
  const [person, what, signature, ...rest] = token.split('.');
  if (!person || !what || !signature || rest.length > 0) return null;
  if (what !== 'digest' && !(notificationKinds as readonly string[]).includes(what)) return null;
  return { personId: Buffer.from(person, 'base64url').toString('utf8'), what: what as Unsubscribable };
}

/** Whether `token` was made with `secret` for what it names. */
export function verifyUnsubscribeToken(secret: string, token: string): boolean {
  const parsed = parseUnsubscribeToken(token);
  if (!parsed) return false;
  const expected = Buffer.from(unsubscribeToken(secret, parsed.personId, parsed.what));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
