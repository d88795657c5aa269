import type { Cookies } from '@sveltejs/kit';
import { describe, expect, test } from 'vitest';
import { overwriteGetLocale } from '../src/lib/paraglide/runtime.js';
import { notificationHref, notificationItem, notificationText } from '../src/lib/server/notifications.ts';
import { chosenTimeZone, readerTimeZone, timeZoneChoices } from '../src/lib/server/time-zone.ts';

const plain = (text: string) => text.replace(/[\u2066-\u2069]/g, '');
const cookies = (zone?: string) =>
  ({ get: (name: string) => (name === 'concord_tz' ? zone : undefined) }) as Cookies;

describe('notifications in words', () => {
  test('each kind reads in the page language, with the title the subject carries', () => {
    overwriteGetLocale(() => 'en');
    const subject = {
      proposalId: 'p-1',
      title: 'Interpretation',
      feedbackEndsAt: '2026-12-07T06:53:00.000Z',
    };
    expect(plain(notificationText({ kind: 'feedbackClosing48h', subject }))).toBe(
      'Feedback on Interpretation closes in 48 hours; your organization has no stance yet',
    );
    expect(
      plain(notificationText({ kind: 'decisionTaken', subject: { ...subject, outcome: 'adopted' } })),
    ).toBe('Decision on Interpretation: Adopted');
    overwriteGetLocale(() => 'ar');
    expect(plain(notificationText({ kind: 'feedbackClosing48h', subject }))).toContain('Interpretation');
    expect(plain(notificationText({ kind: 'feedbackClosing48h', subject }))).not.toContain('Feedback');
    overwriteGetLocale(() => 'en');
  });

  test('the two kinds the API adds next already have words; a kind unknown to the portal falls back', () => {
    overwriteGetLocale(() => 'en');
    const subject = { proposalId: 'p-1', title: 'Interpretation' };
    expect(plain(notificationText({ kind: 'mentioned' as never, subject }))).toBe(
      'You were mentioned in a comment on Interpretation',
    );
    expect(plain(notificationText({ kind: 'undecidedReminder' as never, subject }))).toContain(
      'Interpretation',
    );
    expect(notificationText({ kind: 'somethingNew' as never, subject })).toBe(
      'Something new in Concord concerns you',
    );
    expect(notificationText({ kind: 'toString' as never, subject: {} })).toBe(
      'Something new in Concord concerns you',
    );
  });

  test("a partnership action's reminders name its due day, the same in every zone", () => {
    const subject = { partnershipId: 'pt-1', actionId: 'a-1', dueDate: '2031-03-20' };
    overwriteGetLocale(() => 'en');
    expect(plain(notificationText({ kind: 'actionDue', subject }))).toBe(
      'A partnership action your side agreed to carry out is due on Mar 20, 2031',
    );
    expect(plain(notificationText({ kind: 'actionOverdue', subject }))).toContain('Mar 20, 2031');
    overwriteGetLocale(() => 'fr');
    expect(plain(notificationText({ kind: 'actionOverdue', subject }))).toContain('20 mars 2031');
    overwriteGetLocale(() => 'en');
    expect(notificationHref(subject)).toBe('/partnerships/pt-1');
  });

  test('links go to what the subject names', () => {
    expect(notificationHref({ proposalId: 'p 1' })).toBe('/proposals/p%201');
    expect(notificationHref({ budgetId: 'b', lineId: 'translation' })).toBe('/budget/b/lines/translation');
    expect(notificationHref({ budgetId: 'b', questionId: 'q', lineId: null })).toBe('/budget/b');
    expect(notificationHref({ organizationId: 'o', personId: 'x' })).toBe('/members/o');
    expect(notificationHref({})).toBeNull();
  });

  test('an item is unread until read, its time in the reader zone', () => {
    overwriteGetLocale(() => 'en');
    const item = notificationItem(
      {
        notificationId: '7',
        kind: 'proposalOpened',
        subject: { proposalId: 'p', title: 'T' },
        position: 3,
        createdAt: '2026-12-05T22:30:00.000Z',
        readAt: null,
      },
      { locale: 'en', timeZone: 'Asia/Kuala_Lumpur' },
    );
    expect(item.unread).toBe(true);
    expect(plain(item.at)).toBe('Dec 6, 2026, 6:30 AM');
  });
});

describe('the reader time zone: saved, else the browser, else UTC', () => {
  test('a saved zone wins over the browser', () => {
    expect(readerTimeZone('America/Bogota', cookies('Africa/Kampala'))).toBe('America/Bogota');
  });
  test('UTC saved is the API default, read as never chosen: the browser zone is used', () => {
    expect(chosenTimeZone('UTC')).toBeNull();
    expect(readerTimeZone('UTC', cookies('Africa/Kampala'))).toBe('Africa/Kampala');
    expect(readerTimeZone(null, cookies('Africa/Kampala'))).toBe('Africa/Kampala');
  });
  test('nothing known, or nonsense: UTC', () => {
    expect(readerTimeZone(null, cookies())).toBe('UTC');
    expect(readerTimeZone('Mars/Olympus', cookies('not a zone'))).toBe('UTC');
  });
  test('the settings list holds UTC and the zones of the coalition', () => {
    const zones = timeZoneChoices();
    for (const zone of ['UTC', 'Africa/Kampala', 'America/Bogota', 'Asia/Kuala_Lumpur', 'Asia/Beirut']) {
      expect(zones).toContain(zone);
    }
  });
});
