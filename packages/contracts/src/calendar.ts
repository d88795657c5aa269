import { z } from 'zod';
import { timestamp } from './primitives.ts';
import { route } from './route.ts';

// Calendars (issue 13): a personal iCalendar feed at a secret URL, revocable. Only a hash of the secret
// is kept, so its URL is shown once, in the answer that made it.

export const calendarLinkSchema = z
  .object({
    url: z
      .string()
      .nullable()
      .describe('the feed URL: given only in the answer that made it (only its hash is kept), null here'),
    active: z.boolean().describe('whether a calendar link is in force'),
    createdAt: timestamp.nullable().describe('when the link in force was made'),
  })
  .meta({ id: 'CalendarLink', description: 'your calendar link: whether one is in force and since when' });

export const createdCalendarLinkSchema = z
  .object({
    url: z.string().describe('the secret feed URL: subscribe to it in a calendar application'),
    active: z.literal(true),
    createdAt: timestamp,
  })
  .meta({ id: 'CreatedCalendarLink', description: 'a new calendar link; the earlier one stops working' });

export const calendarFeedParams = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_-]+(\.ics)?$/)
    .describe('the secret of a calendar link, optionally followed by .ics'),
});

export const calendarRoutes = {
  calendarLink: route({
    method: 'GET',
    path: '/api/calendar-link',
    summary: 'Whether you have a calendar link in force (its URL is shown only when made)',
    tag: 'notifications',
    access: 'reader',
    status: 200,
    response: calendarLinkSchema,
  }),
  createCalendarLink: route({
    method: 'POST',
    path: '/api/calendar-link',
    summary: 'Make a new secret calendar link (the earlier one stops working)',
    tag: 'notifications',
    access: 'reader',
    status: 201,
    response: createdCalendarLinkSchema,
  }),
  revokeCalendarLink: route({
    method: 'DELETE',
    path: '/api/calendar-link',
    summary: 'Revoke your calendar link',
    tag: 'notifications',
    access: 'reader',
    status: 204,
  }),
  calendarFeed: route({
    method: 'GET',
    path: '/api/calendar/:token',
    summary: 'A personal iCalendar feed: feedback deadlines and scheduled decisions of your bodies',
    description:
      "No session: the URL's secret is the authority. Every open proposal of the bodies the person's " +
      'organization is in (a facilitator or an auditor: all), computed at request time, times in UTC. ' +
      'An unknown, replaced or revoked secret is a 404.',
    tag: 'notifications',
    access: 'public',
    params: calendarFeedParams,
    status: 200,
    contentType: 'text/calendar; charset=utf-8',
    response: z.string().describe('iCalendar (RFC 5545)'),
  }),
} as const;
