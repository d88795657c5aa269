import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { send } from '$lib/server/api';
import { accepted, invalid, Posted, refused } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  /** Asks for a one-time link by mail (the API answers the same whether or not the address has an account). */
  request: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const email = posted.text('email');
    if (!email) return invalid('request', { email: m.field_required() }, posted);
    const result = await send(fetch, 'requestPasswordReset', { body: { email } });
    if (!result.ok)
      return refused('request', result.problem, posted, {}, (path) => (path === 'email' ? 'email' : null));
    return accepted('request', m.reset_sent());
  },

  /** Sets the new password with the link's token; every session ends, so the person signs in again. */
  complete: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const token = posted.text('token');
    const password = String(posted.data.get('password') ?? '');
    const confirm = String(posted.data.get('confirm') ?? '');
    if (password.length < 10) return invalid('complete', { password: m.password_too_short() }, posted);
    if (password !== confirm) return invalid('complete', { confirm: m.password_mismatch() }, posted);
    const result = await send(fetch, 'completePasswordReset', { body: { token, password } });
    if (!result.ok)
      return refused('complete', result.problem, posted, {}, (path) =>
        path === 'password' ? 'password' : null,
      );
    redirect(303, '/sign-in?reset=1');
  },
};
