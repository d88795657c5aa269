import type { Delivery, Notification, NotificationKind } from '@concord/contracts';
import { sql } from 'kysely';
import { newSecret } from '../auth/secrets.ts';
import type { NotificationRow } from './record.ts';
import type { NotificationTables, NotifyDb } from './table.ts';

type FollowType = NotificationTables['api.notification_follows']['subject_type'];
export type SettingsRow = NotificationTables['api.notification_settings'];

const DEFAULT_SETTINGS = { language: 'en', time_zone: 'UTC', digest_hour: 8 } as const;

/** A row as the API answers it (ids as strings, times as ISO). */
export function toNotification(row: NotificationRow): Notification {
  const subject = typeof row.subject === 'string' ? JSON.parse(row.subject) : row.subject;
  return {
    notificationId: String(row.notification_id),
    kind: row.kind,
    subject: subject as Notification['subject'],
    position: row.position === null ? null : Number(row.position),
    createdAt: new Date(row.created_at).toISOString(),
    readAt: row.read_at ? new Date(row.read_at).toISOString() : null,
  };
}

/** The queries and changes of one person's notifications, follows and settings: always their own. */
export class NotificationQueries {
  constructor(
    private readonly db: NotifyDb,
    private readonly clock: () => Date,
  ) {}

  async list(
    personId: string,
    o: { limit: number; before?: number; unread?: boolean },
  ): Promise<{ notifications: Notification[]; unread: number }> {
    let query = this.db
      .selectFrom('api.notifications')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('notification_id', 'desc')
      .limit(o.limit);
    if (o.before !== undefined) query = query.where('notification_id', '<', o.before);
    if (o.unread) query = query.where('read_at', 'is', null);
    const rows = (await query.execute()) as NotificationRow[];
    return { notifications: rows.map(toNotification), unread: await this.unread(personId) };
  }

  async unread(personId: string): Promise<number> {
    const row = await this.db
      .selectFrom('api.notifications')
      .select((eb) => eb.fn.countAll<string | number>().as('count'))
      .where('person_id', '=', personId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** The unread counts of several people at once (one query); someone with none is absent. */
  async unreadOf(personIds: readonly string[]): Promise<Map<string, number>> {
    if (personIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('api.notifications')
      .select((eb) => ['person_id', eb.fn.countAll<string | number>().as('count')])
      .where('person_id', 'in', personIds)
      .where('read_at', 'is', null)
      .groupBy('person_id')
      .execute();
    return new Map(rows.map((row) => [row.person_id, Number(row.count)]));
  }

  /** Marks the person's own notifications read (ids of others' are ignored, not revealed). */
  async markRead(
    personId: string,
    ids: readonly string[] | 'all',
  ): Promise<{ marked: number; unread: number }> {
    if (ids !== 'all' && ids.length === 0) return { marked: 0, unread: await this.unread(personId) };
    let query = this.db
      .updateTable('api.notifications')
      .set({ read_at: this.clock() })
      .where('person_id', '=', personId)
      .where('read_at', 'is', null);
    if (ids !== 'all') query = query.where('notification_id', 'in', ids);
    const result = await query.executeTakeFirst();
    return { marked: Number(result.numUpdatedRows), unread: await this.unread(personId) };
  }

  async follows(personId: string) {
    const rows = await this.db
      .selectFrom('api.notification_follows')
      .selectAll()
      .where('person_id', '=', personId)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => ({
      subjectType: row.subject_type,
      subjectId: row.subject_id,
      createdAt: new Date(row.created_at).toISOString(),
    }));
  }

  async follow(personId: string, type: FollowType, id: string): Promise<void> {
    await this.db
      .insertInto('api.notification_follows')
      .values({ person_id: personId, subject_type: type, subject_id: id, created_at: this.clock() })
      .onConflict((oc) => oc.columns(['person_id', 'subject_type', 'subject_id']).doNothing())
      .execute();
  }

  async unfollow(personId: string, type: FollowType, id: string): Promise<void> {
    await this.db
      .deleteFrom('api.notification_follows')
      .where('person_id', '=', personId)
      .where('subject_type', '=', type)
      .where('subject_id', '=', id)
      .execute();
  }

  /** The person's settings, made with the defaults (and a fresh unsubscribe secret) the first time. */
  async settings(personId: string): Promise<SettingsRow> {
    // Read first: the row exists for nearly everyone, and a write (a commit) per mail sent is what would
    // bound the outbox's pace.
    const existing = await this.db
      .selectFrom('api.notification_settings')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirst();
    if (existing) return existing;
    await this.db
      .insertInto('api.notification_settings')
      .values({
        person_id: personId,
        ...DEFAULT_SETTINGS,
        deliveries: JSON.stringify({}) as unknown as SettingsRow['deliveries'],
        unsubscribe_secret: newSecret(),
        last_digest_on: null,
      })
      .onConflict((oc) => oc.column('person_id').doNothing())
      .execute();
    return this.db
      .selectFrom('api.notification_settings')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirstOrThrow();
  }

  async changeSettings(
    personId: string,
    change: {
      language?: string;
      timeZone?: string;
      digestHour?: number;
      deliveries?: Partial<Record<NotificationKind, Delivery>>;
    },
  ): Promise<SettingsRow> {
    const current = await this.settings(personId);
    await this.db
      .updateTable('api.notification_settings')
      .set({
        language: change.language ?? current.language,
        time_zone: change.timeZone ?? current.time_zone,
        digest_hour: change.digestHour ?? current.digest_hour,
        deliveries: JSON.stringify({
          ...current.deliveries,
          ...change.deliveries,
        }) as unknown as SettingsRow['deliveries'],
      })
      .where('person_id', '=', personId)
      .execute();
    return this.settings(personId);
  }

  /** Turns one kind off for a person (the one-click unsubscribe), whatever else they chose. */
  async turnOff(personId: string, kind: NotificationKind | 'digest'): Promise<void> {
    await this.settings(personId);
    const patch =
      kind === 'digest'
        ? sql`(SELECT coalesce(jsonb_object_agg(key, 'off'), '{}'::jsonb) FROM jsonb_each(deliveries) WHERE value = '"digest"')`
        : sql`jsonb_build_object(${kind}::text, 'off')`;
    await sql`UPDATE api.notification_settings SET deliveries = deliveries || ${patch}
      WHERE person_id = ${personId}`.execute(this.db);
  }
}
