import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { send } from '$lib/server/api';
import { invalid, Posted, refused } from '$lib/server/forms';
import { may } from '$lib/server/may';
import { sessionCookieName } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

/** Who I am, where my sessions are, and being forgotten. */
export const load: PageServerLoad = ({ locals }) => {
  const person = locals.person;
  return {
    // The API lets a person forget themself while they act in a role (ForgetPerson needs an actor); a
    // person without one, or an auditor, is told who can do it for them instead of a form that fails.
    canForgetThemself: may(person, 'ForgetPerson'),
  };
};

export const actions: Actions = {
  /**
   * Forgets me: the API records PersonForgotten and erases my data and every session (this one too), so
   * the portal drops the cookie and sends me to the privacy page, which confirms it signed out.
   */
  forget: async ({ request, fetch, cookies, locals }) => {
    const posted = await Posted.of(request);
    const person = locals.person;
    if (!person) redirect(303, '/sign-in');
    // An explicit tick, checked here as well as by the browser: nothing irreversible on one stray click.
    if (posted.text('confirm') !== 'yes') {
      return invalid('forget', { confirm: m.forget_confirm_required() }, posted);
    }
    const result = await send(fetch, 'forgetPerson', {
      params: { personId: person.id },
      body: {},
      key: posted.key(),
    });
    if (!result.ok) return refused('forget', result.problem, posted);
    cookies.delete(sessionCookieName(), { path: '/' });
    redirect(303, '/privacy?forgotten');
  },
};
