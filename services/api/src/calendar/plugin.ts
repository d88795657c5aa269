import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../auth/service.ts';
import { ProblemError } from '../errors.ts';
import { wordsFor } from '../notifications/words.ts';
import { registerRoute } from '../routing.ts';
import { type CalendarScope, calendarEntries } from './feed.ts';
import { calendarIcs } from './ics.ts';
import { CalendarLinks } from './links.ts';
import type { CalendarDb } from './table.ts';

export interface CalendarPluginOptions {
  /** Where people reach Concord: the feed's URL and its events' links point there. */
  publicUrl: string;
}

const perKey = (max: number, key: (request: FastifyRequest) => string) => ({
  rateLimit: { max, timeWindow: 60_000, keyGenerator: key },
});

/**
 * Personal calendars (ADR 0024): each person's secret link (made, replaced, revoked) and the public feed
 * it opens, recomputed at every request from the read models for the bodies the person is in now.
 */
export const calendarPlugin = fp(
  async (app: FastifyInstance, options: CalendarPluginOptions) => {
    const links = new CalendarLinks(app.database as unknown as CalendarDb);
    const base = options.publicUrl.replace(/\/$/, '');
    const me = (principal: Principal | null) => (principal as Principal).personId;
    const byPerson = (request: FastifyRequest) => request.principal?.personId ?? request.ip;

    registerRoute(app, 'calendarLink', async ({ principal }) => {
      const { active, createdAt } = await links.state(me(principal));
      return { body: { url: null, active, createdAt: createdAt?.toISOString() ?? null } };
    });
    registerRoute(
      app,
      'createCalendarLink',
      async ({ principal }) => {
        const now = app.clock();
        const token = await links.create(me(principal), now);
        return {
          body: { url: `${base}/api/calendar/${token}.ics`, active: true, createdAt: now.toISOString() },
        };
      },
      perKey(10, byPerson),
    );
    registerRoute(app, 'revokeCalendarLink', async ({ principal }) => {
      await links.revoke(me(principal));
      return { status: 204 };
    });

    // No session: the secret is the authority, so guessing is slowed per client address.
    registerRoute(
      app,
      'calendarFeed',
      async ({ params, reply }) => {
        const personId = await links.personOf(params.token.replace(/\.ics$/, ''));
        const person = personId ? await app.auth.person(personId) : undefined;
        if (!person || person.forgotten_at) throw new ProblemError('CALENDAR_LINK_NOT_FOUND');
        const { role, organizationId } = await app.auth.roleOf(person);
        // A person whose role ended keeps the link but sees nothing: nobody is shown what they may not read.
        if (role === 'none') throw new ProblemError('CALENDAR_LINK_NOT_FOUND');
        if (!app.readSide) throw new ProblemError('NOT_READY', { detail: 'This server has no read models.' });
        const scope: CalendarScope =
          role === 'representative' && organizationId ? { all: false, organizationId } : { all: true };
        const settings = await app.notifications.queries.settings(person.person_id);
        const ics = calendarIcs(await calendarEntries(app.readSide.models, scope), {
          publicUrl: base,
          words: wordsFor(settings.language),
          stamp: app.clock(),
        });
        reply
          .type('text/calendar; charset=utf-8')
          .header('cache-control', 'private, no-store')
          .header('x-robots-tag', 'noindex');
        return { body: ics };
      },
      perKey(60, (request) => request.ip),
    );
  },
  {
    name: 'concord-calendar',
    dependencies: ['concord-foundation', 'concord-auth', 'concord-notifications'],
  },
);
