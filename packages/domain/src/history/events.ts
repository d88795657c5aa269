import { z } from 'zod';
import { eventSchema } from '../shared/messages.ts';
import { idSchema, textSchema } from '../shared/primitives.ts';
import { rewrittenEventSchema } from './commands.ts';

export const historyRewrittenSchema = eventSchema(
  'HistoryRewritten',
  'An operator rewrote stored events (with the server stopped); every changed event and both head digests are listed.',
  {
    rewriteId: idSchema,
    reason: textSchema,
    rewritten: z.array(rewrittenEventSchema),
    previousHeadDigest: z.string(),
    headDigest: z.string(),
  },
);

/** Every event of the history aggregate (stream `history`). */
export const historyEventSchema = z.discriminatedUnion('type', [historyRewrittenSchema]);
export type HistoryEvent = z.infer<typeof historyEventSchema>;
