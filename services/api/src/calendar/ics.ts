import ical, { ICalCalendarMethod } from 'ical-generator';

/** One date in a person's calendar: a proposal's feedback deadline or its scheduled decision. */
export interface CalendarEntry {
  kind: 'feedbackEnds' | 'decision';
  proposalId: string;
  title: string;
  at: Date;
}

/** The words a calendar is written in (the person's mail language). */
export interface CalendarWords {
  calendarName: string;
  feedbackEnds: string;
  decision: string;
}

/**
 * An iCalendar text (RFC 5545) of these entries, written by `ical-generator`: each VEVENT has a UID fixed
 * by the proposal and the kind of date (a second round moves the same event rather than adding one), its
 * time in UTC, the proposal's title in SUMMARY and the proposal's page as URL. `method` PUBLISH is for a
 * single event attached to a mail; a subscribed feed has none.
 */
export function calendarIcs(
  entries: readonly CalendarEntry[],
  o: { publicUrl: string; words: CalendarWords; stamp: Date; method?: 'publish' },
): string {
  const base = o.publicUrl.replace(/\/$/, '');
  const host = new URL(base).hostname || 'concord';
  const calendar = ical({
    name: o.words.calendarName,
    prodId: { company: 'Concord', product: 'Concord', language: 'EN' },
    ...(o.method ? { method: ICalCalendarMethod.PUBLISH } : {}),
  });
  for (const entry of entries) {
    const label = entry.kind === 'feedbackEnds' ? o.words.feedbackEnds : o.words.decision;
    const url = `${base}/proposals/${encodeURIComponent(entry.proposalId)}`;
    calendar.createEvent({
      id: `${entry.kind}-${entry.proposalId}@${host}`,
      start: entry.at,
      end: entry.at,
      stamp: o.stamp,
      summary: `${label}: ${entry.title}`,
      description: url,
      url,
    });
  }
  return calendar.toString();
}
