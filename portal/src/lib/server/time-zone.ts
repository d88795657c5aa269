import type { Cookies } from '@sveltejs/kit';

/** The cookie the browser sets to its own time zone (an IANA name), so pages show times in it. */
export const timeZoneCookie = 'concord_tz';

/**
 * The reader's time zone: the one their browser reported (a cookie set by the layout's script), when
 * the platform knows it; otherwise UTC (the first visit, a browser without JavaScript). Pages say which
 * zone their times are in, so a UTC time is never mistaken for a local one.
 */
export function timeZoneOf(cookies: Cookies): string {
  const zone = cookies.get(timeZoneCookie);
  if (!zone || zone.length > 64) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
}
