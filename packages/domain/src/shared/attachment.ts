import { z } from 'zod';

/**
 * A document an event refers to (a receipt, a per-site budget): by the SHA-256 of its bytes, so the hash
 * chain and the verification cover it while the bytes live outside the log — where they can be erased if
 * they name a person. No file name: names of files often name people.
 */
export const attachmentRefSchema = z
  .object({
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the bytes, 64 lower-case hex digits')
      .describe("the SHA-256 of the document's bytes"),
    mediaType: z
      .string()
      .regex(/^[a-z]+\/[a-z0-9.+-]{1,100}$/, 'a media type such as application/pdf')
      .describe('its media type'),
    size: z.int().min(1).describe('its size in bytes'),
    restricted: z
      .boolean()
      .default(false)
      .describe(
        'marked by the submitter as holding personal or sensitive data: only the organizations concerned read it',
      ),
  })
  .meta({ id: 'AttachmentRef', description: 'a document, by the SHA-256 of its bytes' });
export type AttachmentRef = z.infer<typeof attachmentRefSchema>;

/** Documents attached to one thing at most. */
export const MAX_ATTACHMENTS = 10;

/**
 * The documents a command or event cites: none by default, so events stored before a kind of record
 * could carry documents still parse (as citing none).
 */
export const attachmentsSchema = z
  .array(attachmentRefSchema)
  .max(MAX_ATTACHMENTS)
  .default([])
  .describe('documents attached, by SHA-256 (none by default)');
