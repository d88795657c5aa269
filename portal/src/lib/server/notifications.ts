// Notifications worded on the server (ADR 0017): the page gets each one's sentence in the reader's
// language and its link, never the four languages of every kind. Relative imports: unit-tested as is.
import type { Notification } from '@concord/contracts';
import { formatDate, formatDateTime, formatNumber } from '../format.ts';
import { isolate } from '../i18n.ts';
import { statusLabel } from '../labels/status.ts';
import { m } from '../paraglide/messages.js';
import { getLocale, type Locale } from '../paraglide/runtime.js';

type Subject = Notification['subject'];

/** A notification as a page shows it. */
export interface NotificationItem {
  id: string;
  text: string;
  /** Where the thing it is about is shown (null when the portal does not know the kind). */
  href: string | null;
  /** When it was recorded, in the reader's zone. */
  at: string;
  atIso: string;
  unread: boolean;
}

const text = (subject: Subject, key: string): string => {
  const value = subject[key];
  return typeof value === 'string' ? value : '';
};
const title = (subject: Subject) => isolate(text(subject, 'title'));
// A due date is a day, the same everywhere: shown as that day, whatever the reader's zone.
const dueDate = (subject: Subject) =>
  formatDate(`${text(subject, 'dueDate')}T12:00:00Z`, getLocale(), { timeZone: 'UTC' });

/**
 * The sentence of each kind. A kind added on the server before the portal knows it (the API and the
 * portal can be upgraded apart) falls back to a general sentence, linked to what its subject names.
 */
const sentences: Record<string, (subject: Subject) => string> = {
  proposalOpened: (s) => m.notify_proposal_opened({ title: title(s) }),
  feedbackClosing48h: (s) => m.notify_feedback_closing_48h({ title: title(s) }),
  feedbackClosing24h: (s) => m.notify_feedback_closing_24h({ title: title(s) }),
  stanceNeedsReview: (s) => m.notify_stance_needs_review({ title: title(s) }),
  decisionTaken: (s) =>
    m.notify_decision_taken({ title: title(s), outcome: statusLabel(text(s, 'outcome')) }),
  decisionExecuted: (s) => m.notify_decision_executed({ title: title(s) }),
  executionFailed: (s) => m.notify_execution_failed({ title: title(s) }),
  budgetLineChanged: () => m.notify_budget_line_changed(),
  questionAnswered: () => m.notify_question_answered(),
  confirmationWaiting: () => m.notify_confirmation_waiting(),
  undecidedReminder: (s) => m.notify_undecided_reminder({ title: title(s) }),
  mentioned: (s) => m.notify_mentioned({ title: title(s) }),
  checkInOpened: () => m.notify_check_in_opened(),
  actionDue: (s) => m.notify_action_due({ date: dueDate(s) }),
  actionOverdue: (s) => m.notify_action_overdue({ date: dueDate(s) }),
};

/** Where a notification leads: the partnership, proposal, line, budget or organization its subject names. */
export function notificationHref(subject: Subject): string | null {
  const id = (key: string) => encodeURIComponent(text(subject, key));
  if (text(subject, 'partnershipId')) return `/partnerships/${id('partnershipId')}`;
  if (text(subject, 'proposalId')) return `/proposals/${id('proposalId')}`;
  if (text(subject, 'budgetId') && text(subject, 'lineId')) {
    return `/budget/${id('budgetId')}/lines/${id('lineId')}`;
  }
  if (text(subject, 'budgetId')) return `/budget/${id('budgetId')}`;
  if (text(subject, 'organizationId')) return `/members/${id('organizationId')}`;
  return null;
}

export function notificationText(notification: Pick<Notification, 'kind' | 'subject'>): string {
  const sentence = Object.hasOwn(sentences, notification.kind) ? sentences[notification.kind] : undefined;
  return sentence ? sentence(notification.subject) : m.notify_other();
}

export function notificationItem(
  notification: Notification,
  words: { locale: Locale; timeZone: string },
): NotificationItem {
  return {
    id: notification.notificationId,
    text: notificationText(notification),
    href: notificationHref(notification.subject),
    at: formatDateTime(notification.createdAt, words.locale, { timeZone: words.timeZone }),
    atIso: notification.createdAt,
    unread: notification.readAt === null,
  };
}

/** The header's link to the list, worded here with its count (the layout's code stays small). */
export function notificationsLink(unread: number, locale: Locale) {
  const count = formatNumber(unread, locale);
  return {
    label: m.notifications_link(),
    unread,
    count,
    // Said to screen readers in place of the bare number.
    countLabel: m.notifications_unread_count({ count }),
  };
}
