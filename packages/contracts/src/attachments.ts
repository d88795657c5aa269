import { attachmentRefSchema } from '@concord/domain';
import { z } from 'zod';
import { route } from './route.ts';

// Documents attached to expenses, grant applications and reviews, proposals and comments (ADR 0025):
// uploaded as raw bytes, cited in commands by their SHA-256, read back by those who may read them.

/**
 * The kinds of document Concord keeps, with the file extension a download is named with: PDF, common
 * images and office documents. Legacy Word and Excel files (one container format for both, which the
 * bytes cannot tell apart) are not among them: save them as .docx or .xlsx.
 */
export const attachmentMediaTypes: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/heic': 'heic',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
  'application/vnd.oasis.opendocument.presentation': 'odp',
};

export const attachmentParams = z.strictObject({
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the document, 64 lower-case hex digits')
    .describe("the SHA-256 of the document's bytes"),
});

/** A document as it is cited in a command's `receipts` or `attachments` (strict: nothing else rides along). */
export const attachmentRefBody = attachmentRefSchema.strict();

/**
 * A document as a record cites it, in the API's views and requests (as JSON: `restricted` left out means
 * not restricted): the type pages show documents by.
 */
export type CitedDocument = z.input<typeof attachmentRefBody>;

/** The documents a request cites (none by default). */
export const attachmentsBody = z
  .array(attachmentRefBody)
  .max(10)
  .default([])
  .describe('documents uploaded first (POST /api/attachments), by the reference each upload answered');

/** What an upload answers: the reference to cite (unrestricted unless the person marks it so). */
export const uploadedAttachmentSchema = attachmentRefSchema
  .omit({ restricted: true })
  .meta({ id: 'UploadedAttachment', description: 'a stored document: cite it by this reference' });

export const attachmentRoutes = {
  uploadAttachment: route({
    method: 'POST',
    path: '/api/attachments',
    summary: 'Upload a document (the raw bytes, with its Content-Type); cite it in a command by its SHA-256',
    description:
      'PDF, JPEG, PNG, WebP, GIF, HEIC, and office documents (docx, xlsx, pptx, odt, ods, odp). The bytes ' +
      'must be of the type declared. At most ATTACHMENT_MAX_BYTES (10 MiB by default): 413 ' +
      'ATTACHMENT_TOO_LARGE; another or a mismatching type: 415 ATTACHMENT_TYPE_REFUSED. The same bytes ' +
      'are stored once: 201 when new, 200 when they were stored already. Until a record cites it, only ' +
      'its uploader may read it.',
    tag: 'attachments',
    access: 'actor',
    rawBody: {
      mediaTypes: Object.keys(attachmentMediaTypes),
      description: "the document's bytes, with its media type as Content-Type",
    },
    status: 201,
    response: uploadedAttachmentSchema,
  }),
  downloadAttachment: route({
    method: 'GET',
    path: '/api/attachments/:sha256',
    summary: 'Download a document, if you may read it',
    description:
      'Always as a download (Content-Disposition: attachment) with a sandboxing CSP. An unrestricted ' +
      'document a record cites: every member, facilitator and auditor. A restricted one: the ' +
      'representatives of the organizations its record concerns. One not cited yet: its uploader. ' +
      'Anything else is the same 404 as a document that does not exist.',
    tag: 'attachments',
    access: 'reader',
    params: attachmentParams,
    status: 200,
    contentType: 'application/octet-stream',
    response: z.string().describe("the document's bytes"),
  }),
} as const;
