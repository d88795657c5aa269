import { partnershipNotificationKinds } from '@concord/contracts';
import { m } from '$lib/paraglide/messages.js';
import { read, send } from '$lib/server/api';
import { accepted, invalid, Posted, refused } from '$lib/server/forms';
import { browserTimeZone, chosenTimeZone, readerTimeZone, timeZoneChoices } from '$lib/server/time-zone';
import type { Actions, PageServerLoad } from './$types';

const languages = ['en', 'es', 'fr', 'ar'] as const;
const deliveries = ['immediately', 'digest', 'off'] as const;
type Delivery = (typeof deliveries)[number];

/** Each kind's name in the settings list. A kind the portal does not know yet shows as its code. */
const kindLabels: Record<string, () => string> = {
  proposalOpened: m.kind_proposal_opened,
  feedbackClosing48h: m.kind_feedback_closing_48h,
  feedbackClosing24h: m.kind_feedback_closing_24h,
  stanceNeedsReview: m.kind_stance_needs_review,
  decisionTaken: m.kind_decision_taken,
  decisionExecuted: m.kind_decision_executed,
  executionFailed: m.kind_execution_failed,
  budgetLineChanged: m.kind_budget_line_changed,
  questionAnswered: m.kind_question_answered,
  confirmationWaiting: m.kind_confirmation_waiting,
  // Kinds the API is adding next (issue 13): named here already, so they read well when they arrive.
  undecidedReminder: m.kind_undecided_reminder,
  mentioned: m.kind_mentioned,
  checkInOpened: m.kind_check_in_opened,
  actionDue: m.kind_action_due,
  actionOverdue: m.kind_action_overdue,
};

/** The zones grouped by their region ("Africa", "America"…), for a long list that is quicker to scan. */
function zoneGroups(): { region: string; zones: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const zone of timeZoneChoices()) {
    const region = zone.includes('/') ? (zone.split('/')[0] ?? zone) : 'UTC';
    groups.set(region, [...(groups.get(region) ?? []), zone]);
  }
  return [...groups].map(([region, zones]) => ({ region, zones }));
}

/**
 * Mail language, time zone, digest hour and how each kind of notification is mailed. A person who
 * never chose a zone is offered their browser's (ADR 0023: the API cannot say "never chosen", so its
 * default, UTC, is read as that).
 */
export const load: PageServerLoad = async ({ fetch, cookies, locals }) => {
  // A partner's person is told of their partnerships only, and has no calendar of the coalition's
  // deadlines: only those kinds are offered.
  const partner = locals.person?.role === 'partner';
  const [settings, calendar] = await Promise.all([
    read(fetch, 'notificationSettings'),
    partner ? null : read(fetch, 'calendarLink'),
  ]);
  const chosen = chosenTimeZone(settings.timeZone);
  const browser = browserTimeZone(cookies);
  return {
    settings,
    calendar: calendar && { active: calendar.active, createdAt: calendar.createdAt },
    zone: chosen ?? browser ?? 'UTC',
    zoneFromBrowser: chosen === null && browser !== null ? browser : null,
    zoneGroups: zoneGroups(),
    kinds: Object.keys(settings.deliveries)
      .filter((kind) => !partner || (partnershipNotificationKinds as readonly string[]).includes(kind))
      .map((kind) => ({
        kind,
        label: Object.hasOwn(kindLabels, kind) ? (kindLabels[kind]?.() ?? kind) : kind,
      })),
  };
};

export const actions: Actions = {
  /** A new secret calendar address (the earlier one stops working): shown once, only its hash is kept. */
  calendar: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const result = await send(fetch, 'createCalendarLink', {});
    if (!result.ok) return refused('calendar', result.problem, posted);
    return { ...accepted('calendar', m.calendar_made()), calendarUrl: result.body.url };
  },

  /** Stops the calendar address: calendars that subscribed to it get nothing more. */
  stopCalendar: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const result = await send(fetch, 'revokeCalendarLink', {});
    if (!result.ok) return refused('stopCalendar', result.problem, posted);
    return accepted('stopCalendar', m.calendar_stopped());
  },

  save: async ({ request, fetch, locals, cookies }) => {
    const posted = await Posted.of(request);
    const fields: Record<string, string> = {};
    const language = posted.text('language');
    if (!(languages as readonly string[]).includes(language)) fields.language = m.settings_language_invalid();
    const timeZone = posted.text('timeZone');
    if (!timeZoneChoices().includes(timeZone)) fields.timeZone = m.settings_zone_invalid();
    const hourText = posted.text('digestHour');
    const digestHour = Number(hourText);
    if (!/^\d{1,2}$/.test(hourText) || digestHour > 23) fields.digestHour = m.settings_hour_invalid();
    const chosen: Record<string, Delivery> = {};
    for (const [name, value] of posted.data) {
      if (!name.startsWith('delivery.') || typeof value !== 'string') continue;
      const kind = name.slice('delivery.'.length);
      if ((deliveries as readonly string[]).includes(value)) chosen[kind] = value as Delivery;
      else fields[name] = m.settings_delivery_invalid();
    }
    if (Object.keys(fields).length > 0) return invalid('save', fields, posted);

    const result = await send(fetch, 'changeNotificationSettings', {
      body: {
        language: language as (typeof languages)[number],
        timeZone,
        digestHour,
        deliveries: chosen,
      },
    });
    if (!result.ok) {
      return refused('save', result.problem, posted, {}, (path) =>
        path.startsWith('deliveries.') ? `delivery.${path.slice('deliveries.'.length)}` : path || null,
      );
    }
    // Without JavaScript this same request renders the page next: its times and the footer's zone must
    // already be the new ones.
    locals.settings = result.body;
    locals.timeZone = readerTimeZone(result.body.timeZone, cookies);
    return accepted('save', m.settings_saved());
  },
};
