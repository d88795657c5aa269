import { z } from 'zod';
import { notificationSchema } from './notifications.ts';
import { position } from './primitives.ts';
import { auditEntrySchema } from './queries.ts';
import { route } from './route.ts';

// The live feed (`GET /api/live`, a WebSocket) is resumable: a client says the last position it saw and
// receives every audit-trail entry after it, then new entries as the read models include them, each with
// what changed in the views. Messages are JSON text frames; both sides validate them with these schemas.

/** A view the client may show that changed: refetch it (or patch it) when it is on screen. */
export const viewChangeSchema = z
  .discriminatedUnion('view', [
    z.object({ view: z.literal('budget'), id: z.string() }),
    z.object({ view: z.literal('budgetLine'), id: z.string(), budgetId: z.string() }),
    z.object({ view: z.literal('budgetQuestion'), id: z.string(), budgetId: z.string() }),
    z.object({ view: z.literal('expense'), id: z.string(), budgetId: z.string() }),
    z.object({ view: z.literal('proposal'), id: z.string() }),
    z.object({ view: z.literal('workingGroup'), id: z.string() }),
    z.object({ view: z.literal('member'), id: z.string() }),
    z.object({ view: z.literal('partnership'), id: z.string() }),
    z.object({ view: z.literal('grantCall'), id: z.string() }),
    z.object({ view: z.literal('charter'), id: z.literal('charter') }),
  ])
  .meta({ id: 'ViewChange', description: 'a view that changed' });
export type ViewChangeMessage = z.infer<typeof viewChangeSchema>;

export const liveClientMessageSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('resume'),
      after: position.describe('the last position the client saw (0: from the beginning)'),
    }),
    z.strictObject({ type: z.literal('ping') }),
  ])
  .meta({ id: 'LiveClientMessage' });
export type LiveClientMessage = z.infer<typeof liveClientMessageSchema>;

export const liveServerMessageSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('events'),
      position: position.describe('the last position this message covers: resume from here'),
      replay: z
        .boolean()
        .describe('true while catching up from the read models (then `changes` is empty: refetch views)'),
      entries: z.array(auditEntrySchema),
      changes: z.array(viewChangeSchema),
    }),
    z.object({
      type: z.literal('caughtUp'),
      position: position.describe('everything up to here was sent; live entries follow'),
    }),
    z.object({
      type: z.literal('notification'),
      notification: notificationSchema,
      unread: z.int().min(0).describe("the person's unread count with this one"),
    }),
    z.object({ type: z.literal('pong') }),
    z.object({ type: z.literal('error'), code: z.string(), title: z.string() }),
  ])
  .meta({ id: 'LiveServerMessage' });
export type LiveServerMessage = z.infer<typeof liveServerMessageSchema>;

/**
 * Close codes of the live feed (4000–4999 are the application's). After any of them but `sessionEnded`,
 * a client reconnects and resumes from the last position it received.
 */
export const liveCloseCodes = {
  /** A message that is not JSON or not a `LiveClientMessage`. */
  badMessage: 4000,
  /** The session was revoked or expired, or the person lost their role: sign in again. */
  sessionEnded: 4001,
  /** No `resume` arrived in time after the connection opened. */
  noResume: 4002,
  /** The client read too slowly and its buffer filled: the reason says the position to resume from. */
  tooSlow: 4008,
  /** The server is shutting down (standard "going away"): resume on another instance or later. */
  goingAway: 1001,
} as const;

/** The live feed's route: an HTTP GET that upgrades to a WebSocket. */
export const liveRoutes = {
  live: route({
    method: 'GET',
    path: '/api/live',
    summary: 'The live feed (WebSocket): audit-trail entries after a position, then live',
    description:
      'Open as a WebSocket with the session cookie (refused with 401/403 before the upgrade otherwise; a plain ' +
      'GET answers 426). Send `{"type":"resume","after":<last position seen>}`; the server sends every entry ' +
      'after it (`events` with `replay: true`), then `caughtUp`, then `events` as the read models include ' +
      'them, with the views that changed. Nothing is sent twice and nothing is skipped across reconnects. ' +
      'Messages: LiveClientMessage, LiveServerMessage; close codes 4000 bad message, 4001 session ended, ' +
      '4002 no resume, 4008 too slow (resume from the position in the reason).',
    tag: 'live',
    access: 'reader',
    status: 101,
    // Not in the OpenAPI document: OpenAPI describes request and response, not a WebSocket's messages.
    // The document's description points here; the messages are the schemas of this file.
    hidden: true,
  }),
} as const;
