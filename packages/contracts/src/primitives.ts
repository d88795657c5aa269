import { z } from 'zod';

/**
 * Whether a string holds control characters (NUL above all): they never reach the database or the event
 * log. Text may keep tabs and line breaks.
 */
export function hasControlCharacters(value: string, allowLineBreaks = false): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const lineBreak = code === 0x09 || code === 0x0a || code === 0x0d;
    if (code === 0x7f || (code < 0x20 && !(allowLineBreaks && lineBreak))) return true;
  }
  return false;
}

/** An id in a path or query: whatever id the coalition chose (ids the server creates are UUIDs). */
export const idParam = z
  .string()
  .min(1)
  .max(200)
  .refine((value) => !hasControlCharacters(value), 'an id has no control characters')
  .describe('an id');

/** Text a person wrote: never empty, at most 20,000 characters, as the domain requires. */
export const text = z
  .string()
  .trim()
  .min(1)
  .max(20_000)
  .refine((value) => !hasControlCharacters(value, true), 'no control characters');

/** A short name (of a person or an organization). */
export const name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((value) => !hasControlCharacters(value), 'no control characters');

/** An e-mail address, compared case-insensitively. */
export const email = z.email().max(254).toLowerCase().describe('an e-mail address');

/** A password: long enough to resist guessing, short enough to hash cheaply. */
export const password = z
  .string()
  .min(10, 'a password has at least 10 characters')
  .max(256)
  .describe('at least 10 characters');

/** A one-time token from a link (invitation, password reset, first set-up). */
export const oneTimeToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{20,100}$/, 'the token from the link')
  .describe('the token from the link');

/** An ISO-8601 instant with an offset, e.g. `2025-03-01T09:00:00Z`. */
export const timestamp = z.iso.datetime({ offset: true }).describe('an ISO-8601 instant with an offset');

/** A global position in the event log (sparse, ordered). */
export const position = z.int().min(0).describe('a global position in the event log');

/** A query-string number (positions, limits). */
export const positionQuery = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The `Idempotency-Key` header: a retry with the same key returns the first response. */
export const idempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,200}$/, '1 to 200 visible ASCII characters')
  .describe('retrying with the same key returns the first response and changes nothing');
