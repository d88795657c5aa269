import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** Everything in (app) is for signed-in people: others go to sign-in and come back after. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  if (!locals.person) {
    const next = url.pathname + url.search;
    redirect(303, next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`);
  }
  return {};
};
