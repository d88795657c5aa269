import { z } from 'zod';
import { idParam, timestamp } from './primitives.ts';
import { route } from './route.ts';

// Notifications (issue 13): derived from the events by a processor, listed to their person only, pushed
// on the live feed, mailed by the outbox. They hold ids and short facts, never a name or an address.

/** What a notification is about. */
export const notificationKinds = [
  'proposalOpened',
  'feedbackClosing48h',
  'feedbackClosing24h',
  'stanceNeedsReview',
  'decisionTaken',
  'decisionExecuted',
  'executionFailed',
  'budgetLineChanged',
  'questionAnswered',
  'confirmationWaiting',
  'undecidedReminder',
  'mentioned',
  'checkInOpened',
  'actionDue',
  'actionOverdue',
] as const;
/** The kinds a partner's person may be told of: their partnerships' (ADR 0027). */
export const partnershipNotificationKinds = [
  'checkInOpened',
  'actionDue',
  'actionOverdue',
] as const satisfies readonly (typeof notificationKinds)[number][];

export const notificationKindSchema = z.enum(notificationKinds).meta({
  id: 'NotificationKind',
  description: 'what a notification is about',
});
export type NotificationKind = z.infer<typeof notificationKindSchema>;

export const deliverySchema = z.enum(['immediately', 'digest', 'off']).meta({
  id: 'Delivery',
  description: 'how a kind of notification is mailed: at once, in the daily digest, or not at all',
});
export type Delivery = z.infer<typeof deliverySchema>;

export const notificationSchema = z
  .object({
    notificationId: z.string(),
    kind: notificationKindSchema,
    subject: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .describe('ids and short facts (a title, an outcome): what the portal needs to word and link it'),
    position: z.int().nullable().describe("the causing event's global position (null when time-driven)"),
    createdAt: timestamp,
    readAt: timestamp.nullable(),
  })
  .meta({ id: 'Notification', description: 'something a person was told' });
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListSchema = z
  .object({ notifications: z.array(notificationSchema), unread: z.int().min(0) })
  .meta({ id: 'NotificationList', description: "the signed-in person's notifications, newest first" });

export const notificationListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  unread: z.enum(['true', 'false']).optional().describe('only unread ones'),
});

export const markReadBody = z
  .strictObject({
    notificationIds: z
      .array(z.string().regex(/^[0-9]{1,18}$/))
      .max(500)
      .optional(),
    all: z.literal(true).optional(),
  })
  .refine((body) => (body.all === true) !== (body.notificationIds !== undefined), {
    message: 'give either notificationIds or all: true',
  })
  .meta({ id: 'MarkReadRequest', description: 'mark some notifications read, or all of them' });

export const markReadResultSchema = z
  .object({ marked: z.int().min(0), unread: z.int().min(0) })
  .meta({ id: 'MarkReadResult' });

export const followTypeSchema = z.enum(['proposal', 'budgetLine', 'budgetQuestion']).meta({
  id: 'FollowType',
  description: 'what can be followed',
});
export const followParams = z.strictObject({ subjectType: followTypeSchema, subjectId: idParam });
export const followSchema = z
  .object({ subjectType: followTypeSchema, subjectId: z.string(), createdAt: timestamp })
  .meta({ id: 'Follow' });
export const followListSchema = z.object({ follows: z.array(followSchema) }).meta({ id: 'FollowList' });

/** An IANA time zone Node's Intl knows (e.g. Africa/Kampala). */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a known IANA time zone' },
  )
  .describe('an IANA time zone, e.g. Africa/Kampala');

export const mailLanguageSchema = z.enum(['en', 'es', 'fr', 'ar']).describe('the language of mails');

export const notificationSettingsSchema = z
  .object({
    language: mailLanguageSchema,
    timeZone: z.string(),
    digestHour: z.int().min(0).max(23).describe("the hour of the daily digest, in the person's zone"),
    deliveries: z
      .object(
        Object.fromEntries(notificationKinds.map((kind) => [kind, deliverySchema])) as {
          [Kind in NotificationKind]: typeof deliverySchema;
        },
      )
      .describe('how each kind is mailed'),
    mail: z.boolean().describe('whether this server mails at all (SMTP_URL)'),
  })
  .meta({ id: 'NotificationSettings' });

export const notificationSettingsBody = z
  .strictObject({
    language: mailLanguageSchema.optional(),
    timeZone: timeZoneSchema.optional(),
    digestHour: z.int().min(0).max(23).optional(),
    deliveries: z.partialRecord(notificationKindSchema, deliverySchema).optional(),
  })
  .meta({ id: 'NotificationSettingsChange', description: 'only the fields given change' });

export const unsubscribeQuery = z.strictObject({
  token: z
    .string()
    .min(10)
    .max(400)
    .regex(/^[A-Za-z0-9_.-]+$/)
    .describe('from the mail'),
});

export const mailStatusSchema = z
  .object({
    waiting: z.int().min(0).describe('mails queued or waiting for a retry'),
    failing: z.int().min(0).describe('of those, mails whose last try failed'),
    givenUp: z.int().min(0),
    uncertain: z.int().min(0).describe('sends cut by a crash: not repeated (at most once)'),
    sent: z.int().min(0),
    lastError: z.string().nullable(),
    lastErrorAt: timestamp.nullable(),
    mail: z.boolean().describe('whether this server mails at all (SMTP_URL)'),
  })
  .meta({ id: 'MailStatus', description: 'the mail outbox, for the facilitator' });

export const notificationRoutes = {
  notifications: route({
    method: 'GET',
    path: '/api/notifications',
    summary: 'Your notifications, newest first, and how many are unread',
    tag: 'notifications',
    access: 'session',
    querystring: notificationListQuery,
    status: 200,
    response: notificationListSchema,
  }),
  markNotificationsRead: route({
    method: 'POST',
    path: '/api/notifications/read',
    summary: 'Mark some of your notifications read, or all',
    tag: 'notifications',
    access: 'session',
    body: markReadBody,
    status: 200,
    response: markReadResultSchema,
  }),
  follows: route({
    method: 'GET',
    path: '/api/follows',
    summary: 'What you follow',
    tag: 'notifications',
    access: 'reader',
    status: 200,
    response: followListSchema,
  }),
  follow: route({
    method: 'PUT',
    path: '/api/follows/:subjectType/:subjectId',
    summary: 'Follow a proposal, a budget line or a budget question',
    tag: 'notifications',
    access: 'reader',
    params: followParams,
    status: 204,
  }),
  unfollow: route({
    method: 'DELETE',
    path: '/api/follows/:subjectType/:subjectId',
    summary: 'Stop following',
    tag: 'notifications',
    access: 'reader',
    params: followParams,
    status: 204,
  }),
  notificationSettings: route({
    method: 'GET',
    path: '/api/notification-settings',
    summary: 'Your notification choices',
    tag: 'notifications',
    access: 'session',
    status: 200,
    response: notificationSettingsSchema,
  }),
  changeNotificationSettings: route({
    method: 'PUT',
    path: '/api/notification-settings',
    summary: 'Change your notification choices',
    tag: 'notifications',
    access: 'session',
    body: notificationSettingsBody,
    status: 200,
    response: notificationSettingsSchema,
  }),
  unsubscribe: route({
    method: 'POST',
    path: '/api/notifications/unsubscribe',
    summary: 'One-click unsubscribe (RFC 8058): turns that kind of mail off, without signing in',
    description:
      "The token comes from the mail's `List-Unsubscribe` URL; mail clients POST `List-Unsubscribe=One-Click` " +
      'as a form. The body is ignored.',
    tag: 'notifications',
    access: 'public',
    querystring: unsubscribeQuery,
    status: 204,
  }),
  mailStatus: route({
    method: 'GET',
    path: '/api/mail/status',
    summary: 'The mail outbox: waiting, failing, last error',
    tag: 'notifications',
    access: 'facilitator',
    status: 200,
    response: mailStatusSchema,
  }),
} as const;
