import { z } from 'zod';
import { idSchema } from '../shared/primitives.ts';

/**
 * A language as a BCP 47 tag, e.g. `es`, `ar`, `fa-AF`, `sw`. Any well-formed tag is accepted, not only
 * the portal's languages: coalitions translate into the languages their members read (Dari, Swahili,
 * Burmese…), whether or not the portal's own words exist in them yet. Canonicalized with the platform's
 * `Intl.getCanonicalLocales` (`ES` → `es`, `zh-hant-tw` → `zh-Hant-TW`) so one language has one spelling.
 */
export const languageTagSchema = z
  .string()
  .min(2)
  .max(35)
  .refine(isWellFormedLanguageTag, {
    message: 'a well-formed BCP 47 language tag, e.g. es or fa-AF',
    abort: true,
  })
  .overwrite((tag) => Intl.getCanonicalLocales(tag)[0] as string)
  .describe('a BCP 47 language tag, e.g. es, ar, fa-AF');

/**
 * A language tag as events store it: already canonical when recorded, so it is only checked for shape
 * here (a later platform may canonicalize differently; a stored event must still read back).
 */
export const storedLanguageTagSchema = z
  .string()
  .regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/, 'a BCP 47 language tag')
  .max(35)
  .describe('a BCP 47 language tag, e.g. es, ar, fa-AF');

/** Whether `tag` is a well-formed BCP 47 tag that `Intl` accepts (starting with a language subtag). */
export function isWellFormedLanguageTag(tag: string): boolean {
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) return false;
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}

/**
 * What a translation translates, inside one proposal: the proposal itself (title and text), one comment,
 * or the reason an organization gave with its current stance.
 */
export const translatedItemSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('proposal') }),
    z.object({ kind: z.literal('comment'), commentId: idSchema }),
    z.object({ kind: z.literal('stanceReason'), organizationId: idSchema }),
  ])
  .meta({ id: 'TranslatedItem', description: 'the proposal, a comment, or an organization’s stance reason' });
export type TranslatedItem = z.infer<typeof translatedItemSchema>;

/**
 * The version of an item a translation is of: the proposal's revision (1 when drafted, +1 per amendment),
 * 1 for a comment (comments never change), and for a stance reason the number of stances the
 * organization has taken on the proposal (each new stance brings a new reason).
 */
export const translatedVersionSchema = z
  .int()
  .min(1)
  .describe('revision of the proposal, 1 for a comment, the nth stance of the organization for a reason');

/** One key per item, e.g. `proposal`, `comment:c1`, `stanceReason:o2` (read models and forms use it). */
export function translatedItemKey(item: TranslatedItem): string {
  switch (item.kind) {
    case 'proposal':
      return 'proposal';
    case 'comment':
      return `comment:${item.commentId}`;
    case 'stanceReason':
      return `stanceReason:${item.organizationId}`;
  }
}
