import { createHash } from 'node:crypto';
import type { NotificationKind } from '@concord/contracts';
import { calendarIcs } from '../calendar/ics.ts';
import type { Mail } from '../mail.ts';
import type { SettingsRow } from './queries.ts';
import type { NotificationRow } from './record.ts';
import { type Unsubscribable, unsubscribeToken } from './unsubscribe.ts';
import { wordsFor } from './words.ts';
import { zonedTime } from './zoned-time.ts';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** Where a notification leads in the portal. */
export function pathOf(kind: NotificationKind, subject: Record<string, unknown>): string {
  if (typeof subject.partnershipId === 'string') {
    return `/partnerships/${encodeURIComponent(subject.partnershipId)}`;
  }
  if (typeof subject.proposalId === 'string' && kind !== 'budgetLineChanged') {
    return `/proposals/${encodeURIComponent(subject.proposalId)}`;
  }
  if (typeof subject.budgetId === 'string') return `/budget/${encodeURIComponent(subject.budgetId)}`;
  if (typeof subject.organizationId === 'string') {
    return `/members/${encodeURIComponent(subject.organizationId)}`;
  }
  return '/';
}

const subjectOf = (row: NotificationRow) =>
  (typeof row.subject === 'string' ? JSON.parse(row.subject) : row.subject) as Record<string, unknown>;

/**
 * The Message-ID of the mail for a (person, cause): fixed by them, so a copy sent twice is recognisable
 * as one message (ADR 0019), and a benchmark can tell which event a received mail was for.
 */
export function messageIdFor(personId: string, cause: string, publicUrl: string): string {
  const host = new URL(publicUrl).hostname || 'concord';
  const digest = createHash('sha256').update(`${personId}\n${cause}`).digest('hex').slice(0, 32);
  return `<${digest}@${host}>`;
}

/**
 * A notification mail, or a digest of several: plain text first and a light HTML part, in the person's
 * language, with a link to each thing, a link to the settings, and a one-click unsubscribe (RFC 8058)
 * that turns off this kind (or the digest) for this person only.
 */
export function composeMail(o: {
  publicUrl: string;
  to: string;
  name: string;
  settings: SettingsRow;
  cause: string;
  rows: NotificationRow[];
  /** What the unsubscribe link turns off. */
  what: Unsubscribable;
}): Mail {
  const w = wordsFor(o.settings.language);
  const base = o.publicUrl.replace(/\/$/, '');
  const { language, time_zone: timeZone } = o.settings;
  const items = o.rows.map((row) => {
    const subject = subjectOf(row);
    const endsAt = typeof subject.feedbackEndsAt === 'string' ? subject.feedbackEndsAt : null;
    return {
      text: w.kinds[row.kind](subject),
      // Every time in a mail is the person's own clock, the zone named (stored times stay UTC).
      when: endsAt ? `${w.feedbackEndsAt}: ${zonedTime(endsAt, language, timeZone)}` : null,
      link: `${base}${pathOf(row.kind, subject)}`,
    };
  });
  const settingsLink = `${base}/account/notifications`;
  const token = unsubscribeToken(o.settings.unsubscribe_secret, o.settings.person_id, o.what);
  // Mail clients POST the header's URL (RFC 8058); a person clicking the link in the text opens a page
  // whose button does the same POST (a GET must change nothing: scanners follow links).
  const oneClick = `${base}/api/notifications/unsubscribe?token=${token}`;
  const unsubscribe = `${base}/unsubscribe?token=${token}`;
  const subject = o.what === 'digest' ? w.digest : items[0]!.text;
  const rtl = o.settings.language === 'ar';
  const text = [
    `${w.greeting} ${o.name},`,
    '',
    ...items.flatMap((item) => [item.text, ...(item.when ? [item.when] : []), `${w.open}: ${item.link}`, '']),
    `${w.settings}: ${settingsLink}`,
    `${w.unsubscribe}: ${unsubscribe}`,
    '',
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${o.settings.language}"${rtl ? ' dir="rtl"' : ''}><body>`,
    `<p>${escapeHtml(`${w.greeting} ${o.name},`)}</p>`,
    ...items.map(
      (item) =>
        `<p>${escapeHtml(item.text)}<br>${item.when ? `${escapeHtml(item.when)}<br>` : ''}` +
        `<a href="${escapeHtml(item.link)}">${escapeHtml(w.open)}</a></p>`,
    ),
    `<p><small><a href="${escapeHtml(settingsLink)}">${escapeHtml(w.settings)}</a> · `,
    `<a href="${escapeHtml(unsubscribe)}">${escapeHtml(w.unsubscribe)}</a></small></p>`,
    '</body></html>',
  ].join('');
  return {
    to: o.to,
    subject,
    text,
    html,
    link: items[0]?.link ?? settingsLink,
    messageId: messageIdFor(o.settings.person_id, o.cause, base),
    headers: {
      'List-Unsubscribe': `<${oneClick}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    ...deadlineInvite(o, base),
  };
}

const DEADLINE_KINDS: readonly NotificationKind[] = ['feedbackClosing48h', 'feedbackClosing24h'];

/** A deadline mail (48 h / 24 h) carries that deadline as an `.ics` event, the feed's own UID. */
function deadlineInvite(o: Parameters<typeof composeMail>[0], base: string): Pick<Mail, 'icalEvent'> {
  const row = o.rows.length === 1 ? o.rows[0] : undefined;
  if (!row || !DEADLINE_KINDS.includes(row.kind)) return {};
  const subject = subjectOf(row);
  if (typeof subject.proposalId !== 'string' || typeof subject.feedbackEndsAt !== 'string') return {};
  const content = calendarIcs(
    [
      {
        kind: 'feedbackEnds',
        proposalId: subject.proposalId,
        title: String(subject.title ?? ''),
        at: new Date(subject.feedbackEndsAt),
      },
    ],
    {
      publicUrl: base,
      words: wordsFor(o.settings.language),
      stamp: new Date(row.created_at),
      method: 'publish',
    },
  );
  return { icalEvent: { filename: 'deadline.ics', content } };
}
