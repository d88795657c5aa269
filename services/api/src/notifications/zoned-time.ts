/** The locale each mail language formats dates in (English: day first and a 24-hour clock, as most members read). */
const LOCALES = { en: 'en-GB', es: 'es', fr: 'fr', ar: 'ar' } as const;

/**
 * A moment as a person reads it in a mail: in their time zone, formatted in the mail's language, with the
 * zone named so nobody takes it for their own clock or for UTC, e.g. "3 Dec 2026, 14:00 (Africa/Kampala)".
 * Stored times stay UTC; only their wording changes.
 */
export function zonedTime(instant: Date | string, language: string, timeZone: string): string {
  const locale = LOCALES[language as keyof typeof LOCALES] ?? LOCALES.en;
  const wording = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
    timeZone,
  }).format(new Date(instant));
  return `${wording} (${timeZone})`;
}
