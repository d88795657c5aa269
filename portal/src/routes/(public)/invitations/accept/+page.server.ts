import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { send } from '$lib/server/api';
import { relaySetCookies } from '$lib/server/cookies';
import { invalid, Posted, refused } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  /** Accepts the invitation from the one-time link: creates the account (with a password) and signs in. */
  default: async ({ request, fetch, cookies }) => {
    const posted = await Posted.of(request);
    const token = posted.text('token');
    const password = String(posted.data.get('password') ?? '');
    const confirm = String(posted.data.get('confirm') ?? '');
    if (!token) return invalid('accept', {}, posted, m.token_missing());
    if (password && password.length < 10)
      return invalid('accept', { password: m.password_too_short() }, posted);
    if (password !== confirm) return invalid('accept', { confirm: m.password_mismatch() }, posted);
    const result = await send(fetch, 'acceptInvitation', {
      body: { token, ...(password ? { password } : {}) },
    });
    if (!result.ok) {
      return refused('accept', result.problem, posted, { PASSWORD_REQUIRED: 'password' }, (path) =>
        path === 'password' ? 'password' : null,
      );
    }
    // The API answered with its session cookie: relay it, so the browser is signed in.
    relaySetCookies(result.response, cookies);
    redirect(303, '/');
  },
};
