import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { send } from '$lib/server/api';
import { relaySetCookies } from '$lib/server/cookies';
import { invalid, Posted, refused } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  /** Creates the first facilitator with the link Concord printed at its first start, and signs them in. */
  default: async ({ request, fetch, cookies }) => {
    const posted = await Posted.of(request);
    const token = posted.text('token');
    const name = posted.text('name');
    const email = posted.text('email');
    const password = String(posted.data.get('password') ?? '');
    const confirm = String(posted.data.get('confirm') ?? '');
    const fields: Record<string, string> = {};
    if (!name) fields.name = m.field_required();
    if (!email) fields.email = m.field_required();
    if (password.length < 10) fields.password = m.password_too_short();
    else if (password !== confirm) fields.confirm = m.password_mismatch();
    if (!token) return invalid('setup', fields, posted, m.token_missing());
    if (Object.keys(fields).length) return invalid('setup', fields, posted);
    const result = await send(fetch, 'setup', { body: { token, name, email, password } });
    if (!result.ok) {
      return refused('setup', result.problem, posted, { EMAIL_TAKEN: 'email' }, (path) =>
        ['name', 'email', 'password'].includes(path) ? path : null,
      );
    }
    relaySetCookies(result.response, cookies);
    redirect(303, '/founding');
  },
};
