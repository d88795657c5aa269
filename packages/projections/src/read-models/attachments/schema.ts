import { z } from 'zod';

/** What a document can be attached to. */
export const attachmentKindSchema = z
  .enum(['expense', 'grantApplication', 'grantReview', 'proposal', 'comment', 'checkIn'])
  .meta({ id: 'AttachmentKind', description: 'what a document is attached to' });
export type AttachmentKind = z.infer<typeof attachmentKindSchema>;

/** One record a document is attached to, with the organizations it concerns. */
export const attachmentCitationSchema = z
  .object({
    kind: attachmentKindSchema,
    parentId: z.string().describe('the budget, grant call, proposal or partnership'),
    itemId: z
      .string()
      .describe('the expense, application, proposal, comment, or the check-in round answered'),
    globalPosition: z.int().describe('the event that attached it'),
    personId: z.string().describe('who attached it'),
    restricted: z.boolean(),
    concerned: z
      .union([z.literal('everyMember'), z.array(z.string())])
      .describe(
        'the member organizations concerned by the record (a restricted document is theirs to read): ' +
          'every member when the record is the whole coalition’s',
      ),
  })
  .meta({ id: 'AttachmentCitation' });
export type AttachmentCitation = z.infer<typeof attachmentCitationSchema>;
