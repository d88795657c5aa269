import type { Handle, HandleFetch, HandleServerError } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { textDirection } from '$lib/i18n';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { isApiRequest } from '$lib/server/api';
import { loadSession, loadSettings } from '$lib/server/session';
import { readerTimeZone } from '$lib/server/time-zone';

/** The language of this request (remembered choice, else the browser's, else English), set on <html>. */
const language: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    event.locals.locale = locale;
    return resolve(event, {
      transformPageChunk: ({ html }) =>
        html.replace('%concord.lang%', locale).replace('%concord.dir%', textDirection(locale)),
    });
  });

const session: Handle = async ({ event, resolve }) => {
  // Both at once: the settings hold the person's saved time zone, which every page's times use.
  const [person, settings] = await Promise.all([loadSession(event), loadSettings(event)]);
  event.locals.person = person;
  event.locals.settings = person ? settings : null;
  event.locals.timeZone = readerTimeZone(event.locals.settings?.timeZone, event.cookies);
  return resolve(event);
};

const securityHeaders: Handle = async ({ event, resolve }) => {
  const response = await resolve(event);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
};

export const handle: Handle = sequence(securityHeaders, language, session);

/**
 * Server-side calls to the API act for the person in the browser: they carry the browser's cookies
 * (SvelteKit only does this for its own origin), its user agent (the API lists sessions by device),
 * its language, and its address for the API's sign-in and reset limits. Mounted in the API's process,
 * the portal proves itself with the per-process secret the mount hands it (`x-concord-forwarding`), and
 * the API believes `x-concord-client`; standalone, the API believes X-Forwarded-For only when its
 * TRUST_PROXY lists this portal's address.
 */
export const handleFetch: HandleFetch = ({ event, request, fetch }) => {
  if (isApiRequest(request.url)) {
    // Always over HTTP to the API, never through SvelteKit's own router: in the single process the API
    // has the page's origin when people browse at API_URL's address, and SvelteKit would then answer
    // `/api/…` itself (no such page), calling this hook again, forever.
    const from = event.request.headers;
    const cookie = from.get('cookie');
    if (cookie) request.headers.set('cookie', cookie);
    const userAgent = from.get('user-agent');
    if (userAgent) request.headers.set('user-agent', userAgent);
    if (event.locals.locale) request.headers.set('accept-language', event.locals.locale);
    try {
      const address = event.getClientAddress();
      request.headers.set('x-forwarded-for', address);
      const secret = from.get('x-concord-forwarding');
      if (secret) {
        request.headers.set('x-concord-forwarding', secret);
        request.headers.set('x-concord-client', address);
      }
    } catch {
      // No client address (e.g. prerendering): nothing to forward.
    }
    return globalThis.fetch(request);
  }
  return fetch(request);
};

export const handleError: HandleServerError = ({ error, event, status }) => {
  if (status !== 404) console.error(`[portal] ${event.request.method} ${event.url.pathname}`, error);
  // Only a code reaches the page; +error.svelte shows it in the reader's language.
  return { message: status === 404 ? 'not_found' : 'unexpected' };
};
