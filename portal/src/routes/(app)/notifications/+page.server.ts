import { m } from '$lib/paraglide/messages.js';
import { read, send } from '$lib/server/api';
import { accepted, Posted, refused } from '$lib/server/forms';
import { notificationItem, notificationsLink } from '$lib/server/notifications';
import type { Actions, PageServerLoad } from './$types';

/** How many notifications the page shows (the newest; older ones are rarely looked for). */
const shown = 50;

/**
 * The person's notifications, newest first. Those shown unread are marked read here, on the server,
 * right after they were read for this page: the page still shows them as new (that is how they came),
 * and the header's count already leaves them out. Marked on load rather than by a script on view, so it
 * works without JavaScript, and costs no second round trip on a slow link (ADR 0023). Only the ids
 * shown are marked: one arriving in between stays unread until a page has shown it.
 */
export const load: PageServerLoad = async ({ fetch, locals }) => {
  const list = await read(fetch, 'notifications', {}, { limit: shown });
  const words = { locale: locals.locale, timeZone: locals.timeZone };
  const items = list.notifications.map((notification) => notificationItem(notification, words));
  const unreadIds = items.filter((item) => item.unread).map((item) => item.id);
  let unread = list.unread;
  if (unreadIds.length > 0) {
    const marked = await send(fetch, 'markNotificationsRead', { body: { notificationIds: unreadIds } });
    if (marked.ok) unread = marked.body.unread;
  }
  return {
    items,
    // Replaces the (app) layout's link: its count is the one after this page's marking.
    notificationsLink: notificationsLink(unread, locals.locale),
  };
};

export const actions: Actions = {
  /** Marks every notification of the person read, including those beyond the list. */
  readAll: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const result = await send(fetch, 'markNotificationsRead', { body: { all: true } });
    if (!result.ok) return refused('readAll', result.problem, posted);
    return accepted('readAll', m.notifications_marked());
  },
};
