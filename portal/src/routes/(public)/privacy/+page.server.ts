import type { PageServerLoad } from './$types';

// Nothing to interact with: the page ships no JavaScript (its links and the layout's forms work without).
export const csr = false;

/**
 * Public: people read it before they accept an invitation, and land here once forgotten (`?forgotten`,
 * set by the account page's redirect after the API erased them and their session).
 */
export const load: PageServerLoad = ({ url, locals }) => ({
  forgotten: url.searchParams.has('forgotten') && !locals.person,
  signedIn: locals.person !== null,
});
