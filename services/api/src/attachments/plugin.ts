import type { AttachmentRef } from '@concord/domain';
import type { AttachmentCitation } from '@concord/projections/schemas';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../auth/service.ts';
import { ProblemError } from '../errors.ts';
import { mayReadAttachment } from './access.ts';
import { AttachmentStore } from './store.ts';
import type { AttachmentDb } from './table.ts';

/** The documents' default size limit: 10 MiB (`ATTACHMENT_MAX_BYTES`). */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1_048_576;

/**
 * What one person may upload in a day: twenty documents of the largest size. Uploads nobody cites are
 * kept (only their uploader reads them), so without a bound one account could fill the database.
 */
export const DAILY_UPLOADS_IN_DOCUMENTS = 20;

/** Documents as the rest of the server uses them: stored bytes, who may read them, what a command may cite. */
export interface Attachments {
  readonly store: AttachmentStore;
  readonly maxBytes: number;
  /** The records citing `sha256`, from the read models (none without them). */
  citations(sha256: string): Promise<AttachmentCitation[]>;
  /** Whether `principal` may read the document `sha256` (the rule is `mayReadAttachment`'s). */
  mayRead(principal: Principal | null, sha256: string): Promise<boolean>;
  /**
   * Refuses a command citing a document that is not stored with that size and type, or that the person
   * neither uploaded nor may read where it is cited already (422 ATTACHMENT_NOT_FOUND, nothing changes).
   */
  checkCited(principal: Principal, refs: readonly AttachmentRef[]): Promise<void>;
}

export interface AttachmentsPluginOptions {
  maxBytes?: number;
}

/**
 * The documents service (ADR 0025), decorated as `app.attachments` for the routes that upload and read
 * documents and for the command routes that cite them.
 */
export const attachmentsPlugin = fp(
  async (app: FastifyInstance, options: AttachmentsPluginOptions) => {
    const store = new AttachmentStore(app.database as unknown as AttachmentDb);
    const citations = async (sha256: string) =>
      app.readSide ? app.readSide.models.attachmentCitations(sha256) : [];
    const attachments: Attachments = {
      store,
      maxBytes: options.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES,
      citations,
      async mayRead(principal, sha256) {
        if (!principal) return false;
        const [uploadedByReader, cited] = await Promise.all([
          store.uploadedBy(sha256, principal.personId),
          citations(sha256),
        ]);
        return mayReadAttachment(principal, { uploadedByReader, citations: cited });
      },
      async checkCited(principal, refs) {
        if (refs.length === 0) return;
        const stored = await store.described(refs.map((ref) => ref.sha256));
        for (const ref of refs) {
          const found = stored.get(ref.sha256);
          const same = found && found.size === ref.size && found.mediaType === ref.mediaType;
          if (!same || !(await attachments.mayRead(principal, ref.sha256))) {
            throw new ProblemError('ATTACHMENT_NOT_FOUND', { details: { sha256: ref.sha256 } });
          }
        }
      },
    };
    app.decorate('attachments', attachments);
  },
  { name: 'concord-attachments', dependencies: ['concord-foundation', 'concord-read-side'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Documents attached to records: their bytes, who may read them, what a command may cite. */
    attachments: Attachments;
  }
}
