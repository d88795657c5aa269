import { fail } from '@sveltejs/kit';
import { callApi } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

// One button: the page ships no JavaScript.
export const csr = false;

/**
 * Where a mail's "stop these mails" link lands: a click in a mail opens it (a GET, which must change
 * nothing: mail scanners follow links), the button posts the token to the API's one-click unsubscribe
 * (RFC 8058), the same route mail clients call from the `List-Unsubscribe` header. No session needed.
 */
export const load: PageServerLoad = ({ url, locals }) => ({
  token: url.searchParams.get('token') ?? '',
  signedIn: locals.person !== null,
});

export const actions: Actions = {
  default: async ({ request, fetch }) => {
    const token = String((await request.formData()).get('token') ?? '');
    if (!/^[A-Za-z0-9_.-]{10,400}$/.test(token)) return fail(400, { invalid: true });
    const response = await callApi(
      fetch,
      `/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`,
      {
        method: 'POST',
      },
    );
    if (response.status >= 500) return fail(503, { unavailable: true });
    if (!response.ok) return fail(400, { invalid: true });
    return { done: true };
  },
};
