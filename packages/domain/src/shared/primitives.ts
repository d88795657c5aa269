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

/** Free text a person wrote: never empty. */
export const textSchema = z.string().trim().min(1).max(20_000);

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
