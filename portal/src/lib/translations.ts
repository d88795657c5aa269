// Members' translations on a proposal page: which one a reader sees first, in their language.
import type { ProposalView } from './types';

export type Translation = ProposalView['translations'][number];

const primary = (tag: string) => tag.split('-')[0]?.toLowerCase() ?? '';

/**
 * The translation of item `itemKey` for a reader of `locale`: one into exactly their language, else one
 * into a regional variant of it (`es-419` for `es`). None when the original is already in their language.
 */
export function translationFor(
  translations: readonly Translation[],
  itemKey: string,
  locale: string,
): Translation | null {
  const candidates = translations.filter(
    (translation) =>
      translation.itemKey === itemKey && primary(translation.sourceLanguage) !== primary(locale),
  );
  return (
    candidates.find((translation) => translation.language === locale) ??
    candidates.find((translation) => primary(translation.language) === primary(locale)) ??
    null
  );
}

/** The original's language as translators gave it for this item, if any did (the form's default). */
export function sourceLanguageOf(translations: readonly Translation[], itemKey: string): string | null {
  return translations.findLast((translation) => translation.itemKey === itemKey)?.sourceLanguage ?? null;
}

/** The name of the form answer for item `itemKey` (one translate form per item on the page). */
export function translateAction(itemKey: string): string {
  return `translate-${itemKey.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
