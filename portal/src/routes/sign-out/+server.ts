import { redirect } from '@sveltejs/kit';
import { callApi } from '$lib/server/api';
import { relaySetCookies } from '$lib/server/cookies';
import { sessionCookieName } from '$lib/server/session';
import type { RequestHandler } from './$types';

/** Ends the session at the API (`POST /api/auth/sign-out`) and forgets the cookie here either way. */
export const POST: RequestHandler = async ({ fetch, cookies }) => {
  try {
    const response = await callApi(fetch, '/api/auth/sign-out', { method: 'POST' });
    relaySetCookies(response, cookies);
  } catch (error) {
    console.warn('[portal] sign-out could not reach the API; the cookie is removed anyway', error);
  }
  cookies.delete(sessionCookieName(), { path: '/' });
  redirect(303, '/sign-in');
};
