import { z } from 'zod';
import { type AttachmentRef, attachmentRefSchema } from './attachment.ts';

/**
 * Where each kind of record carries its documents: the field of the command or event that cites them.
 * One table, read by the API (which checks a command's documents exist), the read model (which finds
 * what a document is attached to) and the verification (which checks every cited document's bytes).
 */
export const attachmentFields = {
  SubmitExpense: 'receipts',
  ExpenseSubmitted: 'receipts',
  SubmitGrantApplication: 'attachments',
  GrantApplicationSubmitted: 'attachments',
  ReviewGrantApplication: 'attachments',
  GrantApplicationReviewed: 'attachments',
  DraftProposal: 'attachments',
  ProposalDrafted: 'attachments',
  AmendProposal: 'attachments',
  ProposalAmended: 'attachments',
  CommentOnProposal: 'attachments',
  ProposalCommented: 'attachments',
  AnswerCheckIn: 'evidence',
  CheckInAnswered: 'evidence',
} as const satisfies Record<string, 'receipts' | 'attachments' | 'evidence'>;

/** The event types that cite documents. */
export type CitingEventType = Extract<
  keyof typeof attachmentFields,
  | 'ExpenseSubmitted'
  | 'GrantApplicationSubmitted'
  | 'GrantApplicationReviewed'
  | 'ProposalDrafted'
  | 'ProposalAmended'
  | 'ProposalCommented'
  | 'CheckInAnswered'
>;

const refs = z.array(attachmentRefSchema);

/**
 * The documents a command or an event (as stored, or as decided) cites, each once; none for a type that
 * cites none. Reads the data leniently: a stored event from before its type carried documents cites none.
 */
export function citedAttachments(message: { type: string; data?: unknown } | object): AttachmentRef[] {
  const type = (message as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(attachmentFields, type)) return [];
  const field = attachmentFields[type as keyof typeof attachmentFields];
  const holder = 'data' in message && typeof message.data === 'object' ? message.data : message;
  const parsed = refs.safeParse((holder as Record<string, unknown> | null)?.[field] ?? []);
  if (!parsed.success) return [];
  const seen = new Set<string>();
  return parsed.data.filter((ref) => !seen.has(ref.sha256) && seen.add(ref.sha256));
}
