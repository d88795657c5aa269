import { migrateSchema } from '@concord/event-store';
import { type Generated, type Kysely, type Migration, sql } from 'kysely';
import { attachmentStatements } from './attachments/table.ts';
import { calendarStatements } from './calendar/table.ts';
import { notificationStatements, partnershipNotifyStatements } from './notifications/table.ts';

/**
 * The API's own mutable tables. People, passwords, sessions and one-time tokens are not governance
 * history (schema `auth`); idempotency records and process checkpoints are bookkeeping (schema `api`).
 * Representation of an organization IS history: it lives in the events, never here.
 */
export interface ApiTables {
  'auth.people': {
    person_id: string;
    email: string;
    name: string;
    password_hash: string | null;
    staff_role: 'facilitator' | 'auditor' | null;
    /** The organization the person accepted to represent: a pointer; the member stream decides. */
    organization_id: string | null;
    created_at: Date;
    /** When the person was forgotten: their name and address are gone, the row keeps their id only. */
    forgotten_at: Date | null;
  };
  'auth.sessions': {
    session_id: string;
    token_hash: string;
    person_id: string;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
    user_agent: string | null;
  };
  'auth.tokens': {
    token_hash: string;
    kind: 'invitation' | 'reset' | 'setup';
    person_id: string | null;
    payload: unknown;
    created_at: Date;
    expires_at: Date;
    used_at: Date | null;
  };
  'api.idempotency': {
    person_id: string;
    key: string;
    request_hash: string;
    state: 'pending' | 'done';
    status: number | null;
    body: unknown;
    created_at: Date;
    updated_at: Date;
  };
  'api.checkpoints': {
    name: string;
    position: string | number;
    updated_at: Date;
  };
  /**
   * Mail waiting to leave: what to send, not the mail itself (a password-reset row holds only the address
   * asked for; the link is made when it is sent, so no usable link waits here). Drained by `MailOutbox`.
   */
  'api.mail_outbox': {
    mail_id: Generated<string | number>;
    kind: 'passwordReset' | 'notification' | 'digest';
    /** An address (password resets) or a person id (notifications, digests: the address is looked up when sent). */
    recipient: string;
    created_at: Date;
    attempts: number;
    next_attempt_at: Date;
    claimed_until: Date | null;
    last_error: string | null;
    /** With the recipient, the unique key of a notification's or digest's mail: queued once, ever. */
    cause: string | null;
    /** When a keyed mail was accepted by the SMTP server (the row stays, so it is never queued again). */
    sent_at: Date | null;
    /** When a keyed mail's send was cut by a crash: not repeated (at most once, ADR 0019). */
    uncertain_at: Date | null;
    /** When the last try failed (with `last_error`). */
    failed_at: Date | null;
  };
  /** Witnesses' cosignatures of the log's checkpoints (ADR 0009): which organization's key, which size, when. */
  'api.log_cosignatures': {
    size: string | number;
    witness_key: string;
    key_name: string;
    organization_id: string;
    line: string;
    cosigned_at: Date;
    received_at: Date;
  };
}

export type ApiDb = Kysely<ApiTables>;

const statements = [
  'CREATE SCHEMA IF NOT EXISTS auth',
  `CREATE TABLE auth.people (
  person_id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  password_hash text,
  staff_role text CHECK (staff_role IN ('facilitator', 'auditor')),
  organization_id text,
  created_at timestamptz NOT NULL DEFAULT now()
)`,
  `CREATE TABLE auth.sessions (
  session_id text PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  person_id text NOT NULL REFERENCES auth.people (person_id),
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  user_agent text
)`,
  'CREATE INDEX sessions_person ON auth.sessions (person_id)',
  `CREATE TABLE auth.tokens (
  token_hash text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('invitation', 'reset', 'setup')),
  person_id text,
  payload jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
)`,
  'CREATE SCHEMA IF NOT EXISTS api',
  `CREATE TABLE api.idempotency (
  person_id text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'done')),
  status int,
  body jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (person_id, key)
)`,
  `CREATE TABLE api.checkpoints (
  name text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL
)`,
];

const outboxStatements = [
  `CREATE TABLE api.mail_outbox (
  mail_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('passwordReset')),
  recipient text NOT NULL,
  created_at timestamptz NOT NULL,
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  claimed_until timestamptz,
  last_error text
)`,
  'CREATE INDEX mail_outbox_due ON api.mail_outbox (next_attempt_at)',
];

/** A migration that runs its statements one per call: PGlite's extended protocol refuses several in one. */
function oneByOne(statements: readonly string[]): Migration {
  return {
    async up(db) {
      for (const statement of statements) await sql.raw(statement).execute(db);
    },
  };
}

const migrations: Record<string, Migration> = {
  '0001_auth_and_api': oneByOne(statements),
  '0002_mail_outbox': oneByOne(outboxStatements),
  '0003_forgotten_people': oneByOne(['ALTER TABLE auth.people ADD COLUMN forgotten_at timestamptz']),
  '0004_log_cosignatures': oneByOne([
    `CREATE TABLE api.log_cosignatures (
  size bigint NOT NULL,
  witness_key text NOT NULL,
  key_name text NOT NULL,
  organization_id text NOT NULL,
  line text NOT NULL,
  cosigned_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  PRIMARY KEY (size, witness_key)
)`,
  ]),
  '0005_notifications': oneByOne(notificationStatements),
  '0006_calendar_links': oneByOne(calendarStatements),
  '0007_attachments': oneByOne(attachmentStatements),
  '0008_partnership_notifications': oneByOne(partnershipNotifyStatements),
  // Sent notification rows stay in the outbox (their key refuses a second queueing), so the table only
  // grows; the rows still to send are few. The sender's claim and its look for ended leases read this
  // small index instead of every row ever sent (`mail_outbox_due` covers them all).
  '0009_mail_outbox_waiting': oneByOne([
    'CREATE INDEX mail_outbox_waiting ON api.mail_outbox (mail_id) WHERE sent_at IS NULL AND uncertain_at IS NULL',
  ]),
};

/** Creates or upgrades the `auth` and `api` schemas; safe on every start. */
export async function migrateApiTables(db: Kysely<unknown>): Promise<void> {
  await migrateSchema(db, 'api', migrations);
}
