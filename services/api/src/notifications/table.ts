import type { Delivery, NotificationKind } from '@concord/contracts';
import type { Generated, Kysely } from 'kysely';
import type { ApiTables } from '../db.ts';

/**
 * The notifications' tables, in the API's `api` schema (ADR 0019: they hold person ids, read marks and
 * choices, none of which is a function of the events alone).
 */
export interface NotificationTables {
  /** One row per (person, cause): the unique key is what makes a notification never repeat. */
  'api.notifications': {
    notification_id: Generated<string | number>;
    person_id: string;
    /** What caused it, e.g. `proposalOpened:<event id>` or `closing24:<proposal id>`. */
    cause: string;
    kind: NotificationKind;
    /** Ids and short facts (a title, an outcome) the list and the mail show; never a name or an address. */
    subject: Record<string, unknown>;
    /** The event's global position (null for a time-driven notification). */
    position: string | number | null;
    created_at: Date;
    read_at: Date | null;
    /** How it was to be delivered when it was made. */
    delivery: Delivery;
    /** The cause of the digest mail that carried it (digest deliveries only). */
    digest_cause: string | null;
  };
  /** Who represents whom, as the processor has read it so far (its own fold, moved with its checkpoint). */
  'api.notify_representatives': {
    organization_id: string;
    person_id: string;
    accepted: boolean;
    confirmed: boolean;
  };
  /** The proposals as far as notifications need them. */
  'api.notify_proposals': {
    proposal_id: string;
    title: string;
    proposer_id: string;
    status: string;
    /** The deciding body's member organizations at opening, and the recused among them. */
    member_ids: string[];
    recused_ids: string[];
    feedback_ends_at: Date | null;
  };
  /** Each organization's latest stance revision on a proposal. */
  'api.notify_stances': {
    proposal_id: string;
    organization_id: string;
    revision: number;
  };
  /** Who asked each budget question. */
  'api.notify_questions': {
    question_id: string;
    line_id: string;
    asker_id: string;
  };
  /** Who takes part for a partner organization in a partnership (joined, not removed). */
  'api.notify_partner_contacts': {
    partnership_id: string;
    organization_id: string;
    person_id: string;
  };
  /** Partnership actions as far as their due dates need them. */
  'api.notify_partnership_actions': {
    partnership_id: string;
    action_id: string;
    /** `coalition` or the partner organization's id: whose action it is. */
    owner_party_id: string;
    pillar: string;
    /** The day it is due (YYYY-MM-DD): due at the end of that day, UTC. */
    due_date: string;
    /** `proposed` until every party agreed; then `agreed`, `inProgress`, `done` or `dropped`. */
    status: string;
  };
  /** What a person follows: a proposal, a budget line or a budget question. */
  'api.notification_follows': {
    person_id: string;
    subject_type: 'proposal' | 'budgetLine' | 'budgetQuestion';
    subject_id: string;
    created_at: Date;
  };
  /** A person's choices: language, zone and hour of the digest, delivery per kind, unsubscribe secret. */
  'api.notification_settings': {
    person_id: string;
    language: string;
    time_zone: string;
    digest_hour: number;
    deliveries: Partial<Record<NotificationKind, Delivery>>;
    /** Signs the one-click unsubscribe links of this person's mails (RFC 8058: no sign-in). */
    unsubscribe_secret: string;
    /** The local date of the last digest sent (YYYY-MM-DD in the person's zone). */
    last_digest_on: string | null;
  };
}

export type NotifyDb = Kysely<ApiTables & NotificationTables>;

/**
 * Migration 0005 of the API's tables, frozen once released (ADR 0015): the notifications, the
 * processor's fold, follows and settings, and the outbox keyed by person and cause.
 */
export const notificationStatements = [
  `CREATE TABLE api.notifications (
  notification_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id text NOT NULL,
  cause text NOT NULL,
  kind text NOT NULL,
  subject jsonb NOT NULL,
  position bigint,
  created_at timestamptz NOT NULL,
  read_at timestamptz,
  delivery text NOT NULL CHECK (delivery IN ('immediately', 'digest', 'off')),
  digest_cause text,
  UNIQUE (person_id, cause)
)`,
  'CREATE INDEX notifications_person ON api.notifications (person_id, notification_id)',
  `CREATE TABLE api.notify_representatives (
  organization_id text NOT NULL,
  person_id text NOT NULL,
  accepted boolean NOT NULL,
  confirmed boolean NOT NULL,
  PRIMARY KEY (organization_id, person_id)
)`,
  `CREATE TABLE api.notify_proposals (
  proposal_id text PRIMARY KEY,
  title text NOT NULL,
  proposer_id text NOT NULL,
  status text NOT NULL,
  member_ids jsonb NOT NULL DEFAULT '[]',
  recused_ids jsonb NOT NULL DEFAULT '[]',
  feedback_ends_at timestamptz
)`,
  'CREATE INDEX notify_proposals_open ON api.notify_proposals (status, feedback_ends_at)',
  `CREATE TABLE api.notify_stances (
  proposal_id text NOT NULL,
  organization_id text NOT NULL,
  revision int NOT NULL,
  PRIMARY KEY (proposal_id, organization_id)
)`,
  `CREATE TABLE api.notify_questions (
  question_id text PRIMARY KEY,
  line_id text NOT NULL,
  asker_id text NOT NULL
)`,
  `CREATE TABLE api.notification_follows (
  person_id text NOT NULL,
  subject_type text NOT NULL CHECK (subject_type IN ('proposal', 'budgetLine', 'budgetQuestion')),
  subject_id text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (person_id, subject_type, subject_id)
)`,
  'CREATE INDEX notification_follows_subject ON api.notification_follows (subject_type, subject_id)',
  `CREATE TABLE api.notification_settings (
  person_id text PRIMARY KEY,
  language text NOT NULL,
  time_zone text NOT NULL,
  digest_hour int NOT NULL CHECK (digest_hour BETWEEN 0 AND 23),
  deliveries jsonb NOT NULL DEFAULT '{}',
  unsubscribe_secret text NOT NULL,
  last_digest_on text
)`,
  'ALTER TABLE api.mail_outbox DROP CONSTRAINT mail_outbox_kind_check',
  `ALTER TABLE api.mail_outbox ADD CONSTRAINT mail_outbox_kind_check
  CHECK (kind IN ('passwordReset', 'notification', 'digest'))`,
  'ALTER TABLE api.mail_outbox ADD COLUMN cause text',
  'ALTER TABLE api.mail_outbox ADD COLUMN sent_at timestamptz',
  'ALTER TABLE api.mail_outbox ADD COLUMN uncertain_at timestamptz',
  'ALTER TABLE api.mail_outbox ADD COLUMN failed_at timestamptz',
  // A (person, cause) can be queued once, ever: the row stays after it was sent.
  'CREATE UNIQUE INDEX mail_outbox_cause ON api.mail_outbox (recipient, cause) WHERE cause IS NOT NULL',
];

/**
 * Migration 0008, frozen once released: the processor's fold of partnerships (ADR 0027) — who takes
 * part for each partner, and the actions whose due dates are reminded.
 */
export const partnershipNotifyStatements = [
  `CREATE TABLE api.notify_partner_contacts (
  partnership_id text NOT NULL,
  organization_id text NOT NULL,
  person_id text NOT NULL,
  PRIMARY KEY (partnership_id, organization_id, person_id)
)`,
  'CREATE INDEX notify_partner_contacts_person ON api.notify_partner_contacts (person_id)',
  `CREATE TABLE api.notify_partnership_actions (
  partnership_id text NOT NULL,
  action_id text NOT NULL,
  owner_party_id text NOT NULL,
  pillar text NOT NULL,
  due_date text NOT NULL,
  status text NOT NULL,
  PRIMARY KEY (partnership_id, action_id)
)`,
  'CREATE INDEX notify_partnership_actions_due ON api.notify_partnership_actions (status, due_date)',
];
