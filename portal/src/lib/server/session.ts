// Who is signed in: asked of the API with the session cookie, once per page request.

import type { RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { ApiUnreachableError, callApi } from './api';
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
