import { randomUUID } from 'node:crypto';
import { redirect } from '@sveltejs/kit';
import { isolate } from '$lib/i18n';
import type { Directory } from '$lib/names';
import { partnerMayOpen } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import { readOptional } from '$lib/server/api';
import { loadDirectory } from '$lib/server/directory';
import { notificationsLink } from '$lib/server/notifications';
import type { LayoutServerLoad } from './$types';

/**
 * Everything in (app) is for signed-in people: others go to sign-in and come back after.
 * Every page gets the names of organizations and groups, the log position it shows (where the live
 * feed resumes), bad decision effects the server found, the server's clock (so "time left" reads the
 * same after hydration) and a form key.
 */
export const load: LayoutServerLoad = async ({ locals, url, fetch }) => {
  // Read on every request, so SvelteKit runs this load again on each navigation: a new form key per
  // page (a key reused for another request is refused), a current clock and log position.
  const next = url.pathname + url.search;
  if (!locals.person) {
    redirect(303, next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`);
  }
  // Without a role (a person who accepted a facilitator's invitation and whom their organization has not
  // confirmed yet, or a removed representative) the API shows nothing: the dashboard says why, and their
  // account (sessions, being forgotten) stays theirs to manage.
  if (locals.person.role === 'none') {
    if (!['/', '/account', '/account/sessions'].includes(url.pathname)) redirect(303, '/');
    return {
      position: 0,
      live: false,
      directory: { organizations: {}, groups: {} } as Directory,
      organizationName: null,
      effects: null,
      now: new Date().toISOString(),
      formKey: randomUUID(),
      liveWords: liveWords(),
    };
  }
  // A partner's person (ADR 0027) takes part in their partnerships and nothing else: the API refuses them
  // the coalition's status and directory, so neither is asked; every other page leads to their
  // partnerships, their notifications (of their partnerships only) and account pages stay theirs.
  if (locals.person.role === 'partner') {
    if (!partnerMayOpen(url.pathname)) redirect(303, '/partnerships');
    const [mine, unread] = await Promise.all([
      readOptional(fetch, 'partnerships'),
      readOptional(fetch, 'notifications', {}, { limit: 1, unread: 'true' }),
    ]);
    const partner = mine?.partnerships
      .flatMap((partnership) => partnership.partners)
      .find((candidate) => candidate.organizationId === locals.person?.organizationId);
    return {
      position: 0,
      live: false,
      directory: { organizations: {}, groups: {} } as Directory,
      organizationName: partner?.name ?? null,
      accountLabel: partner
        ? `${m.signed_in_as({ name: isolate(locals.person.name) })} ${m.signed_in_for({ member: isolate(partner.name) })}`
        : m.signed_in_as({ name: isolate(locals.person.name) }),
      effects: null,
      now: new Date().toISOString(),
      formKey: randomUUID(),
      liveWords: liveWords(),
      notificationsLink: notificationsLink(unread?.unread ?? 0, locals.locale),
    };
  }
  const [status, directory, unread] = await Promise.all([
    readOptional(fetch, 'status'),
    loadDirectory(fetch),
    readOptional(fetch, 'notifications', {}, { limit: 1, unread: 'true' }),
  ]);
  const organizationName = locals.person.organizationId
    ? (directory.organizations[locals.person.organizationId] ?? null)
    : null;
  return {
    position: status?.projected ?? 0,
    live: true,
    directory,
    organizationName,
    accountLabel: organizationName
      ? `${m.signed_in_as({ name: isolate(locals.person.name) })} ${m.signed_in_for({ member: isolate(organizationName) })}`
      : m.signed_in_as({ name: isolate(locals.person.name) }),
    // Events written on a decision's behalf that no adopted decision accounts for (ADR 0009): every page
    // warns, from the server's own live check, with or without JavaScript. Worded here: the warning is
    // rare, and its four languages would otherwise be on every page's code.
    effects: status?.effects?.firstProblem
      ? {
          title: m.effects_alarm_title({ count: status.effects.problemCount }),
          detail: m.effects_alarm_detail({
            type: status.effects.firstProblem.type,
            position: status.effects.firstProblem.position,
          }),
          advice: m.effects_alarm_advice(),
          link: m.effects_alarm_link(),
        }
      : null,
    now: new Date().toISOString(),
    formKey: randomUUID(),
    liveWords: liveWords(),
    notificationsLink: notificationsLink(unread?.unread ?? 0, locals.locale),
  };
};

/** The live state's fixed words, translated here rather than in every page's code (ADR 0017). */
const liveWords = () => ({
  on: m.live_on(),
  offline: m.live_offline(),
  connecting: m.live_connecting(),
  justChanged: m.live_just_changed(),
});
