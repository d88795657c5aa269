import { type Delivery, type NotificationKind, notificationKinds } from '@concord/contracts';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../auth/service.ts';
import { ProblemError } from '../errors.ts';
import { registerRoute } from '../routing.ts';
import { toNotification as toWire } from './queries.ts';
import { Notifications, type NotificationsOptions } from './service.ts';
import type { NotifyDb } from './table.ts';
import { parseUnsubscribeToken, verifyUnsubscribeToken } from './unsubscribe.ts';

export interface NotificationsPluginOptions extends Pick<NotificationsOptions, 'intervalMs' | 'processor'> {
  /** Run the processor and the timed pass in this process (with the process steps). */
  run: boolean;
  /** Where people reach Concord: links in mails point there. */
  publicUrl: string;
}

/**
 * The notification routes: each person's own list, read marks, follows and choices; the one-click
 * unsubscribe (public: the link's token is the authority); the outbox's state for the facilitator. New
 * notifications are pushed on the live feed to their person's sockets only.
 */
export const notificationsPlugin = fp(
  async (app: FastifyInstance, options: NotificationsPluginOptions) => {
    const { run, publicUrl, ...timers } = options;
    const notifications = new Notifications({
      ...timers,
      store: app.eventStore,
      db: app.database as unknown as NotifyDb,
      logger: app.log,
      metrics: app.metrics,
      clock: app.clock,
      outbox: app.mailOutbox,
      mail: app.mailer.delivers,
      publicUrl,
    });
    app.decorate('notifications', notifications);
    app.addHook('onReady', async () => {
      if (run) await notifications.start();
    });
    app.addHook('onClose', async () => notifications.stop());
    // Where new notifications are pushed to their person (null without read models).
    const live = app.live;
    const queries = notifications.queries;
    const me = (principal: Principal | null) => (principal as Principal).personId;

    notifications.onRecorded(async (rows) => {
      if (!live) return;
      // Only the people with a socket open here are told (and their unread counts read, in one query):
      // a batch of thousands of mentions costs nothing for the people who are not looking.
      const byPerson = new Map<string, typeof rows>();
      for (const row of rows) {
        if (!byPerson.has(row.person_id) && !live.listening(row.person_id)) continue;
        byPerson.set(row.person_id, [...(byPerson.get(row.person_id) ?? []), row]);
      }
      if (byPerson.size === 0) return;
      const unread = await queries.unreadOf([...byPerson.keys()]);
      for (const [personId, own] of byPerson) {
        for (const row of own) {
          live.sendToPerson(personId, {
            type: 'notification',
            notification: toWire(row),
            unread: unread.get(personId) ?? 0,
          });
        }
      }
    });

    registerRoute(app, 'notifications', async ({ principal, query }) => ({
      body: await queries.list(me(principal), {
        limit: query.limit,
        before: query.before,
        unread: query.unread === 'true',
      }),
    }));

    registerRoute(app, 'markNotificationsRead', async ({ principal, body }) => ({
      body: await queries.markRead(me(principal), body.all ? 'all' : (body.notificationIds ?? [])),
    }));

    registerRoute(app, 'follows', async ({ principal }) => ({
      body: { follows: await queries.follows(me(principal)) },
    }));
    registerRoute(app, 'follow', async ({ principal, params }) => {
      await queries.follow(me(principal), params.subjectType, params.subjectId);
      return { status: 204 };
    });
    registerRoute(app, 'unfollow', async ({ principal, params }) => {
      await queries.unfollow(me(principal), params.subjectType, params.subjectId);
      return { status: 204 };
    });

    const settingsBody = async (personId: string) => {
      const row = await queries.settings(personId);
      return {
        language: row.language as 'en',
        timeZone: row.time_zone,
        digestHour: row.digest_hour,
        deliveries: deliveriesOf(row.deliveries),
        mail: notifications.mail,
      };
    };
    registerRoute(app, 'notificationSettings', async ({ principal }) => ({
      body: await settingsBody(me(principal)),
    }));
    registerRoute(app, 'changeNotificationSettings', async ({ principal, body }) => {
      await queries.changeSettings(me(principal), body);
      return { body: await settingsBody(me(principal)) };
    });

    registerRoute(app, 'mailStatus', async () => ({ body: await notifications.mailStatus() }));

    // RFC 8058: mail clients POST `List-Unsubscribe=One-Click` as a form, without any session. The form
    // parser is this scope's only: every other route still takes JSON alone.
    await app.register(async (scope) => {
      scope.addContentTypeParser(
        ['application/x-www-form-urlencoded', 'multipart/form-data'],
        { parseAs: 'string', bodyLimit: 1024 },
        (_request, body, done) => done(null, { form: String(body) }),
      );
      registerRoute(scope, 'unsubscribe', async ({ query }) => {
        const parsed = parseUnsubscribeToken(query.token);
        const secret = parsed ? await notifications.unsubscribeSecret(parsed.personId) : null;
        if (!parsed || !secret || !verifyUnsubscribeToken(secret, query.token)) {
          throw new ProblemError('UNSUBSCRIBE_LINK_INVALID');
        }
        await queries.turnOff(parsed.personId, parsed.what);
        return { status: 204 };
      });
    });
  },
  {
    name: 'concord-notifications',
    dependencies: ['concord-foundation', 'concord-accounts', 'concord-auth', 'concord-live'],
  },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Notifications: processor, timed pass, queries (ADR 0019). */
    notifications: Notifications;
  }
}

/** Every kind with its delivery (the default for those never chosen: immediately). */
function deliveriesOf(
  chosen: Partial<Record<NotificationKind, Delivery>>,
): Record<NotificationKind, Delivery> {
  return Object.fromEntries(notificationKinds.map((kind) => [kind, chosen[kind] ?? 'immediately'])) as Record<
    NotificationKind,
    Delivery
  >;
}
