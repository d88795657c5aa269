import {
  hasBidiReordering,
  hasControlCharacters,
  isWellFormedText,
  nameSchema,
  textSchema,
  titleSchema,
} from '@concord/domain';
import { z } from 'zod';

// The rules for text are the domain's (packages/domain/src/shared/primitives.ts): one place for the
// border and for every command. Re-exported so the API's request checks use the same predicates.
export { hasBidiReordering, hasControlCharacters, isWellFormedText };

/** An id in a path or query: whatever id the coalition chose (ids the server creates are UUIDs). */
export const idParam = z
  .string()
  .min(1)
  .max(200)
  .refine(isWellFormedText, 'an id is well-formed Unicode')
  .refine((value) => !hasControlCharacters(value), 'an id has no control characters')
  .describe('an id');

/**
 * Text a person wrote: never empty or invisible, at most 20,000 characters, well-formed Unicode, NFC,
 * no control character but tab and new line, no bidi override.
 */
export const text = textSchema.describe('text: tab and new line allowed, no other control characters');

/** A title: one line with visible characters, no control characters or bidi reordering, at most 500. */
export const title = titleSchema.describe('one line, at most 500 characters');

/** A short name (of a person or an organization): a title's rules, at most 200 characters. */
export const name = nameSchema.describe('one line, at most 200 characters');

/** Text that may be empty (a profile's availability): otherwise a text's rules. */
export function optionalText(max: number) {
  return z
    .string()
    .max(max)
    .refine(isWellFormedText, 'not well-formed Unicode (a lone surrogate)')
    .refine(
      (value) => !hasControlCharacters(value, true),
      'no control characters (tab and new line are fine)',
    )
    .refine((value) => !hasBidiReordering(value, true), 'no bidi override characters (U+202D, U+202E)');
}

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
