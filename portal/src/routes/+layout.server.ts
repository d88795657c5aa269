import { isolate } from '$lib/i18n';
import { type NavItem, navItems } from '$lib/navigation';
import { m } from '$lib/paraglide/messages.js';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
  locale: locals.locale,
  person: locals.person,
  timeZone: locals.timeZone,
  // The header's and footer's fixed words are translated here, not in the browser: the layout's code is
  // on every page's first visit, and four languages of every label would be on it (ADR 0006). A
  // language change is a full page load, so the text always matches the page.
  header: {
    skip: m.skip_to_content(),
    language: m.language_label(),
    // Who is signed in; the (app) layout adds the organization they speak for (`accountLabel`).
    signedInAs: locals.person ? m.signed_in_as({ name: isolate(locals.person.name) }) : null,
    signOut: m.sign_out(),
    navLabel: m.nav_label(),
    // A partner's person sees their partnerships only (ADR 0027): the coalition's pages are not theirs.
    nav: navItems
      .filter((item) => locals.person?.role !== 'partner' || item.key === 'partnerships')
      .map((item) => ({ href: item.href, label: navLabels[item.key]() })),
  },
  footer: {
    label: m.footer_label(),
    privacy: m.footer_privacy(),
    glossary: m.nav_glossary(),
    // Every page names the zone its times are in; signed-in people can change it from here.
    timesIn: m.footer_times_in({ zone: isolate(locals.timeZone) }),
    timesChange:
      locals.person && locals.person.role !== 'none' && locals.person.role !== 'partner'
        ? m.footer_times_change()
        : null,
  },
  // The error page's words: its code is loaded with every page, ready for an error that rarely comes.
  errorPage: {
    title: m.page_title({ page: m.error_title() }),
    heading: m.error_title(),
    notFound: m.error_not_found(),
    forbidden: m.error_forbidden(),
    unavailable: m.error_unavailable(),
    unexpected: m.error_unexpected(),
    home: m.error_home(),
  },
});

const navLabels: Record<NavItem['key'], () => string> = {
  dashboard: m.nav_dashboard,
  proposals: m.nav_proposals,
  budget: m.nav_budget,
  working_groups: m.nav_working_groups,
  members: m.nav_members,
  grants: m.nav_grants,
  partnerships: m.nav_partnerships,
  charter: m.nav_charter,
  audit: m.nav_audit,
};
