import { z } from 'zod';
import { commandSchema } from '../shared/messages.ts';
import { idSchema, textSchema } from '../shared/primitives.ts';

const hashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex');

/** One stored event whose bytes a history rewrite changed, with its hash before and after. */
export const rewrittenEventSchema = z.object({
  eventId: idSchema,
  streamId: idSchema,
  globalPosition: z.int().min(1),
  previousHash: hashSchema,
  hash: hashSchema,
});

/**
 * System only: records, after the fact, a rewrite of stored events that an operator ran with the
 * server stopped (e.g. taking legacy personal data out of the log). The list names every event whose
 * stored bytes changed — its own or by the re-chaining of its stream — with the hashes before and after,
 * and the store's head digests before and after, so anyone holding the old history can check that
 * nothing else changed.
 */
export const recordHistoryRewriteSchema = commandSchema(
  'RecordHistoryRewrite',
  'Record a rewrite of stored history',
  {
    rewriteId: idSchema,
    reason: textSchema,
    rewritten: z.array(rewrittenEventSchema).max(1_000_000),
    previousHeadDigest: hashSchema,
    headDigest: hashSchema,
  },
);

/** Every command of the history aggregate. */
export const historyCommandSchema = z.discriminatedUnion('type', [recordHistoryRewriteSchema]);
export type HistoryCommand = z.infer<typeof historyCommandSchema>;
