import type { Kysely } from 'kysely';
import type { ApiTables } from '../db.ts';

/**
 * Documents attached to records (ADR 0025), in the API's `api` schema: the bytes once per SHA-256 (the
 * same bytes uploaded twice are one row), in the one database, so every API instance serves them and
 * backups hold them. Who uploaded which bytes is kept beside: an uploader may cite and read their
 * document before any record cites it.
 */
export interface AttachmentTables {
  'api.attachments': {
    /** SHA-256 of the bytes, 64 lower-case hex digits. */
    sha256: string;
    media_type: string;
    size: string | number;
    bytes: Uint8Array;
    uploaded_at: Date;
  };
  'api.attachment_uploaders': {
    sha256: string;
    person_id: string;
    uploaded_at: Date;
  };
}

export type AttachmentDb = Kysely<ApiTables & AttachmentTables>;

/** Migration 0007 of the API's tables, frozen once released (ADR 0015). */
export const attachmentStatements = [
  `CREATE TABLE api.attachments (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type text NOT NULL,
  size bigint NOT NULL CHECK (size > 0),
  bytes bytea NOT NULL,
  uploaded_at timestamptz NOT NULL
)`,
  `CREATE TABLE api.attachment_uploaders (
  sha256 text NOT NULL REFERENCES api.attachments (sha256),
  person_id text NOT NULL,
  uploaded_at timestamptz NOT NULL,
  PRIMARY KEY (sha256, person_id)
)`,
];
