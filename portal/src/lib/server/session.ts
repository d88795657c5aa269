// Who is signed in: asked of the API with the session cookie, once per page request.

import type { RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { ApiUnreachableError, callApi, type Reply } from './api';
import { parseMe, type SignedInPerson } from './me';

export type { SignedInPerson } from './me';

/** Must match the cookie the API sets on sign-in (services/api: SESSION_COOKIE). */
export function sessionCookieName(): string {
  return env.SESSION_COOKIE_NAME || 'concord_session';
}

export async function loadSession(
  event: Pick<RequestEvent, 'cookies' | 'fetch'>,
): Promise<SignedInPerson | null> {
  if (!event.cookies.get(sessionCookieName())) return null;
  try {
    const response = await callApi(event.fetch, '/api/auth/me');
    if (!response.ok) return null;
    return parseMe(await response.json());
  } catch (error) {
    if (error instanceof ApiUnreachableError) {
      console.warn(`[portal] ${error.message}; treating the request as signed out`);
      return null;
    }
    throw error;
  }
}

/**
 * The person's notification settings (their saved time zone among them), asked alongside `me` so the
 * page's times are decided before anything renders. Null when signed out, without a role (the API
 * answers 403) or when the API can't say: the page then uses the browser's zone.
 */
export async function loadSettings(
  event: Pick<RequestEvent, 'cookies' | 'fetch'>,
): Promise<Reply<'notificationSettings'> | null> {
  if (!event.cookies.get(sessionCookieName())) return null;
  try {
    const response = await callApi(event.fetch, '/api/notification-settings');
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    return (await response.json()) as Reply<'notificationSettings'>;
  } catch (error) {
    if (error instanceof ApiUnreachableError) return null;
    throw error;
  }
}
