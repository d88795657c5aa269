import type { Cookies } from '@sveltejs/kit';

/** The cookie the browser sets to its own time zone (an IANA name), so pages show times in it. */
export const timeZoneCookie = 'concord_tz';

/**
 * The zone the API answers for a person who never chose one. The API cannot say whether a person chose
 * it or never chose at all (ADR 0023), so the portal reads it as "never set": a person who really chose
 * UTC while their browser says otherwise sees their browser's zone until the API can tell the two apart.
 */
export const unsetTimeZone = 'UTC';

/** `zone` when the platform knows it (its canonical name), else null. */
export function knownTimeZone(zone: string | null | undefined): string | null {
  if (!zone || zone.length > 64) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The zone the reader's browser reported (a cookie set by the root layout's script), if any. */
export function browserTimeZone(cookies: Cookies): string | null {
  return knownTimeZone(cookies.get(timeZoneCookie));
}

/** The zone the person saved in their notification settings, or null when they never chose one. */
export function chosenTimeZone(saved: string | null | undefined): string | null {
  const zone = knownTimeZone(saved);
  return zone && zone !== unsetTimeZone ? zone : null;
}

/**
 * The one place that decides which zone the portal shows times in: the person's saved zone, else the
 * one their browser reported, else UTC (a first visit without JavaScript). Pages name the zone, so a UTC
 * time is never mistaken for a local one.
 */
export function readerTimeZone(saved: string | null | undefined, cookies: Cookies): string {
  return chosenTimeZone(saved) ?? browserTimeZone(cookies) ?? 'UTC';
}

/** Every IANA zone the server knows, for the settings page's list (UTC first: Intl leaves it out). */
export function timeZoneChoices(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}
