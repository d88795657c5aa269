import type { Locale } from '$lib/paraglide/runtime';

/** Each language is offered in its own name, so a reader finds theirs whatever the page's language. */
export const localeNames: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  fr: 'Français',
  ar: 'العربية',
};

const rightToLeft = new Set(['ar', 'ckb', 'dv', 'fa', 'he', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** The writing direction of a locale: `rtl` for Arabic (and the other right-to-left scripts we may add). */
export function textDirection(locale: string): 'ltr' | 'rtl' {
  const language = locale.split('-')[0]?.toLowerCase() ?? '';
  return rightToLeft.has(language) ? 'rtl' : 'ltr';
}

/**
 * Wraps text that comes from people (names, titles) in Unicode isolates before it goes into a
 * translated sentence, so a Latin name in an Arabic sentence (or the reverse) can't reorder the
 * words around it. Same effect as <bdi>, usable inside message parameters.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`;
}
