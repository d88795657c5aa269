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

/**
 * Text read left to right whatever the page's direction: a signed figure ("+2.0") has no strong
 * direction of its own, and a right-to-left page would put its sign after it.
 */
export function isolateLeftToRight(text: string): string {
  return `\u2066${text}\u2069`;
}

/**
 * A language's own name for itself ("sw" → "Kiswahili", "fa" → "فارسی", "my" → "မြန်မာ"), for lists of the
 * languages an organization works in: people find their language by its name in its own script.
 * `lang` is the tag to put on it (null when the platform does not know the language: the text is shown
 * as typed, untagged).
 */
export function languageName(code: string): { name: string; lang: string | null } {
  const trimmed = code.trim();
  try {
    const [tag] = Intl.getCanonicalLocales(trimmed);
    if (!tag) return { name: trimmed, lang: null };
    const name = new Intl.DisplayNames([tag], { type: 'language', fallback: 'none' }).of(tag);
    return name ? { name, lang: tag } : { name: trimmed, lang: null };
  } catch {
    return { name: trimmed, lang: null };
  }
}
