import { z } from 'zod';

/**
 * An identifier chosen by the caller (usually a uuid). The domain never creates ids. `__proto__` is
 * refused: ids are keys of plain records, where that one key would not be an ordinary property.
 */
export const idSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => id !== '__proto__', 'not a usable id');

/** An ISO-8601 instant with an offset, e.g. `2025-03-01T09:00:00Z`. Time only ever arrives inside commands. */
export const timestampSchema = z.iso.datetime({ offset: true });

/** A calendar date, e.g. `2025-01-01`. */
export const dateSchema = z.iso.date();

/**
 * The most money, in minor units, that any amount, line or whole budget may hold: 10^15 (USD 10 trillion,
 * IDR 10 trillion). Every stored amount and every sum of them stays far below 2^53, so JavaScript numbers
 * count them exactly; a change that would pass the ceiling is refused before anything is recorded.
 */
export const MONEY_CEILING = 1_000_000_000_000_000;

/** A non-negative amount of money in minor units (cents): money is never a floating-point number. */
export const amountSchema = z.int().min(0).describe('money in minor units (cents)');

/** A strictly positive amount in minor units. */
export const positiveAmountSchema = z.int().min(1).describe('money in minor units (cents), more than zero');

/** An ISO-4217 currency code, e.g. `USD`. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO-4217 code such as USD');

/**
 * The longest lists a command may carry: every decider's work grows linearly with them, and none of them
 * needs more in a coalition's life (documented in the API's schema as `maxItems`).
 */
export const LIST_LIMITS = {
  /** Changes in one budget decision, payments in one disbursement, lines in one mandate. */
  changes: 1_000,
  /** Organizations named in one list: founding members, leads, a line's partners. */
  organizations: 1_000,
  /** Shared values and standard operating procedures changed at once. */
  documents: 200,
} as const;

// ---- text a person wrote -------------------------------------------------------------------------
// The one place where the rules for text live: every command's text goes through these schemas (the
// deciders validate their commands), and the API's contracts use the same ones at the border.

/** C0 and C1 control characters and DEL, except tab and line feed (allowed in long texts). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** Every control character, tabs and line breaks included (none belongs in a title or a name). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/**
 * Bidi overrides (LRO, RLO) reverse the characters they enclose, so "USD \u202e000,05\u202c" reads
 * "USD 50,000": no text needs them.
 */
const BIDI_OVERRIDE = /[\u202d\u202e]/;
/**
 * Bidi embeddings and isolates reorder whole words. Mixed-direction prose may use them; a title or a
 * name may not (the marks LRM, RLM and ALM, which move nothing by themselves, stay allowed).
 */
const BIDI_REORDERING = /[\u202a-\u202e\u2066-\u2069]/;
/** A character that shows: not a space, not invisible (zero-width, format, fillers), not a lone mark. */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{M}\u2800]/u;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Well-formed Unicode: no lone surrogate (which no database or UTF-8 encoder can keep). The same as
 * `String.prototype.isWellFormed`, which older browsers showing the portal's previews lack.
 */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** Whether `value` holds a control character: in a long text tab and line feed are fine. */
export function hasControlCharacters(value: string, allowTabAndNewline = false): boolean {
  return (allowTabAndNewline ? CONTROL_IN_TEXT : CONTROL_IN_LINE).test(value);
}

/** Whether `value` holds a bidi control that reorders what it encloses (`overridesOnly` for long texts). */
export function hasBidiReordering(value: string, overridesOnly = false): boolean {
  return (overridesOnly ? BIDI_OVERRIDE : BIDI_REORDERING).test(value);
}

/** Whether `value` has at least one character a reader can see. */
export function hasVisibleCharacters(value: string): boolean {
  return VISIBLE.test(value);
}

/** Normal form of text: line breaks as `\n` (browsers post `\r\n`), NFC, no surrounding white space. */
function normalizeText(value: string): string {
  return value.replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

/** A string that is well-formed Unicode, normalized; the rest of the rules follow. */
function normalizedText(max: number) {
  return z
    .string()
    .refine(isWellFormedText, { message: 'not well-formed Unicode (a lone surrogate)', abort: true })
    .overwrite(normalizeText)
    .min(1)
    .max(max);
}

/**
 * Free text a person wrote (a body, a comment, a reason): never empty or invisible, well-formed Unicode,
 * normalized (NFC, `\n` line breaks), no control character but tab and line feed, no bidi override.
 */
export const textSchema = normalizedText(20_000)
  .refine((value) => !hasControlCharacters(value, true), 'no control characters (tab and new line are fine)')
  .refine((value) => !hasBidiReordering(value, true), 'no bidi override characters (U+202D, U+202E)')
  .refine(hasVisibleCharacters, 'a text needs visible characters');

/**
 * A title or a name shown on one line: a text's rules, and no line break or tab, no bidi control that
 * reorders (embeddings, overrides, isolates), at least one visible character.
 */
function lineSchema(max: number, what: string) {
  return normalizedText(max)
    .refine((value) => !hasControlCharacters(value), `a ${what} is one line without control characters`)
    .refine((value) => !hasBidiReordering(value), `a ${what} has no bidi embedding, override or isolate`)
    .refine(hasVisibleCharacters, `a ${what} needs visible characters`);
}

/** The title of a proposal, a grant call or a procedure. */
export const titleSchema = lineSchema(500, 'title');

/** The name of a person, an organization, a group or a coalition. */
export const nameSchema = lineSchema(200, 'name');

/**
 * An exact fraction, e.g. two thirds as `{ numerator: 2, denominator: 3 }`.
 * Thresholds are fractions of integers so that no rounding can ever tip a decision.
 */
export const ratioSchema = z
  .object({
    numerator: z.int().min(1),
    denominator: z.int().min(1),
  })
  .meta({ id: 'Ratio', description: 'an exact fraction, e.g. 2/3' });
export type Ratio = z.infer<typeof ratioSchema>;

/**
 * Why a person did something, in their own words: optional, recorded with the event when given, so the
 * audit trail can say why as well as what.
 */
export const optionalReasonSchema = textSchema
  .max(2_000)
  .nullable()
  .default(null)
  .describe('why, in the words of the person acting; optional');
