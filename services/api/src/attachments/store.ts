import { createHash } from 'node:crypto';
import type { AttachmentRef } from '@concord/domain';
import type { AttachmentDb } from './table.ts';

/** A stored document's description, without its bytes. */
export interface StoredAttachment {
  sha256: string;
  mediaType: string;
  size: number;
}

/** The SHA-256 of `bytes`, as attachment references name it (64 lower-case hex digits). */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The documents' bytes, content-addressed: saving the same bytes again changes nothing but records one
 * more uploader. Nothing here decides who may read what (`access.ts` does).
 */
export class AttachmentStore {
  constructor(private readonly db: AttachmentDb) {}

  /** Keeps `bytes` (once) and records `personId` as one who uploaded them; `created` when they were new. */
  async save(input: {
    bytes: Uint8Array;
    mediaType: string;
    personId: string;
    now: Date;
  }): Promise<{ ref: StoredAttachment; created: boolean }> {
    const sha256 = sha256Of(input.bytes);
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('api.attachments')
        .values({
          sha256,
          media_type: input.mediaType,
          size: input.bytes.byteLength,
          bytes: input.bytes,
          uploaded_at: input.now,
        })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .returning('sha256')
        .executeTakeFirst();
      await trx
        .insertInto('api.attachment_uploaders')
        .values({ sha256, person_id: input.personId, uploaded_at: input.now })
        .onConflict((oc) => oc.columns(['sha256', 'person_id']).doNothing())
        .execute();
      const stored = await trx
        .selectFrom('api.attachments')
        .select(['media_type', 'size'])
        .where('sha256', '=', sha256)
        .executeTakeFirstOrThrow();
      return {
        ref: { sha256, mediaType: stored.media_type, size: Number(stored.size) },
        created: inserted !== undefined,
      };
    });
  }

  /** How many bytes `personId` uploaded since `since` (each document once, however often sent). */
  async uploadedSince(personId: string, since: Date): Promise<number> {
    const row = await this.db
      .selectFrom('api.attachment_uploaders as u')
      .innerJoin('api.attachments as a', 'a.sha256', 'u.sha256')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<string | number>('a.size'), eb.lit(0)).as('bytes'))
      .where('u.person_id', '=', personId)
      .where('u.uploaded_at', '>', since)
      .executeTakeFirst();
    return Number(row?.bytes ?? 0);
  }

  /** The stored documents among `sha256s`, by SHA-256. */
  async described(sha256s: readonly string[]): Promise<Map<string, StoredAttachment>> {
    if (sha256s.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('api.attachments')
      .select(['sha256', 'media_type', 'size'])
      .where('sha256', 'in', [...sha256s])
      .execute();
    return new Map(
      rows.map((row) => [
        row.sha256,
        { sha256: row.sha256, mediaType: row.media_type, size: Number(row.size) },
      ]),
    );
  }

  /** Whether `personId` uploaded these bytes (and so holds them already). */
  async uploadedBy(sha256: string, personId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('api.attachment_uploaders')
      .select('sha256')
      .where('sha256', '=', sha256)
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** A document's description and bytes; undefined when none is stored. */
  async read(sha256: string): Promise<(StoredAttachment & { bytes: Buffer }) | undefined> {
    const row = await this.db
      .selectFrom('api.attachments')
      .select(['sha256', 'media_type', 'size', 'bytes'])
      .where('sha256', '=', sha256)
      .executeTakeFirst();
    if (!row) return undefined;
    const bytes = Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
    return { sha256: row.sha256, mediaType: row.media_type, size: Number(row.size), bytes };
  }

  /**
   * How each of `refs` stands against the stored bytes: `missing` (no such document), `altered` (the
   * stored bytes do not hash to the SHA-256, or their size differs), or ok. The hash is recomputed from
   * the bytes, never taken from the row's key.
   */
  async check(sha256: string, ref?: Pick<AttachmentRef, 'size'>): Promise<'ok' | 'missing' | 'altered'> {
    const stored = await this.read(sha256);
    if (!stored) return 'missing';
    if (sha256Of(stored.bytes) !== sha256) return 'altered';
    if (stored.bytes.byteLength !== stored.size || (ref && ref.size !== stored.size)) return 'altered';
    return 'ok';
  }
}
