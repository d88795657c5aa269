import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { read, send } from '$lib/server/api';
import { accepted, Posted, refused } from '$lib/server/forms';
import { sessionCookieName } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  const { sessions } = await read(fetch, 'sessions');
  return { sessions: [...sessions].sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt)) };
};

export const actions: Actions = {
  /** Ends one of my sessions (another browser, a lost phone); ending this one signs me out here. */
  revoke: async ({ request, fetch, cookies, locals }) => {
    const posted = await Posted.of(request);
    const sessionId = posted.text('sessionId');
    const result = await send(fetch, 'revokeSession', { params: { sessionId } });
    if (!result.ok) return refused('revoke', result.problem, posted);
    if (sessionId === locals.person?.sessionId) {
      cookies.delete(sessionCookieName(), { path: '/' });
      redirect(303, '/sign-in');
    }
    return accepted('revoke', m.session_revoked());
  },
};
