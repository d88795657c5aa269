import { m } from '$lib/paraglide/messages.js';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => ({
  locale: locals.locale,
  person: locals.person,
  timeZone: locals.timeZone,
  // The footer's words are translated here, not in the browser: the layout's code is on every page's
  // first visit, and the dashboard was already at its JavaScript budget (ADR 0006). A language change
  // is a full page load, so the text always matches the page.
  footer: { label: m.footer_label(), privacy: m.footer_privacy(), glossary: m.nav_glossary() },
});
