import { fail, redirect } from '@sveltejs/kit';
import { safeReturnPath } from '$lib/navigation';
import { ApiUnreachableError, callApi } from '$lib/server/api';
import { relaySetCookies } from '$lib/server/cookies';
import type { Actions, PageServerLoad } from './$types';

export type SignInError = 'missing' | 'credentials' | 'rate_limited' | 'unavailable' | 'unexpected';

/** Every failure has one shape, so the page can read `form.status` whatever went wrong. */
function failure(httpStatus: number, email: string, error: SignInError, apiStatus: number | null = null) {
  return fail(httpStatus, { email, error, status: apiStatus });
}

export const load: PageServerLoad = ({ locals, url }) => {
  if (locals.person) redirect(303, safeReturnPath(url.searchParams.get('next')));
  return {};
};

export const actions: Actions = {
  /**
   * Posts { email, password } to the API's `POST /api/auth/sign-in`; on success the API's session
   * cookie is relayed to the browser. The password is never sent back to the page.
   */
  default: async ({ request, fetch, cookies, url }) => {
    const form = await request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!email || !password) return failure(400, email, 'missing');

    let response: Response;
    try {
      response = await callApi(fetch, '/api/auth/sign-in', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
    } catch (error) {
      if (error instanceof ApiUnreachableError) {
        console.warn(`[portal] sign-in: ${error.message}`);
        return failure(503, email, 'unavailable');
      }
      throw error;
    }

    if (response.ok) {
      relaySetCookies(response, cookies);
      redirect(303, safeReturnPath(url.searchParams.get('next')));
    }
    const { status } = response;
    if (status === 400 || status === 401 || status === 403 || status === 422) {
      return failure(400, email, 'credentials');
    }
    if (status === 429) return failure(429, email, 'rate_limited');
    // 404: an API without the endpoint (not deployed yet); 502–504: a proxy without an API behind it.
    if (status === 404 || status === 502 || status === 503 || status === 504) {
      return failure(503, email, 'unavailable');
    }
    return failure(502, email, 'unexpected', status);
  },
};
