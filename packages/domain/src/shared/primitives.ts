import { z } from 'zod';

/** An identifier chosen by the caller (usually a uuid). The domain never creates ids. */
export const idSchema = z.string().min(1).max(200);

/** An ISO-8601 instant with an offset, e.g. `2025-03-01T09:00:00Z`. Time only ever arrives inside commands. */
export const timestampSchema = z.iso.datetime({ offset: true });

/** A calendar date, e.g. `2025-01-01`. */
export const dateSchema = z.iso.date();

/** A non-negative amount of money in minor units (cents): money is never a floating-point number. */
export const amountSchema = z.int().min(0).describe('money in minor units (cents)');

/** A strictly positive amount in minor units. */
export const positiveAmountSchema = z.int().min(1).describe('money in minor units (cents), more than zero');

/** An ISO-4217 currency code, e.g. `USD`. */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'a three-letter ISO-4217 code such as USD');

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
