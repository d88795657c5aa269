import { decisionRulesSchema } from '@concord/domain';
import { z } from 'zod';
import { iso } from '../primitives.ts';

/** The charter: decision rules, shared values, procedures, and every change of them. */
export const charterViewSchema = z
  .object({
    coalitionName: z.string(),
    rules: decisionRulesSchema,
    sharedValues: z.array(z.string()),
    foundedAt: iso,
    updatedAt: iso,
    sops: z.array(
      z.object({
        sopId: z.string(),
        title: z.string(),
        text: z.string(),
        version: z.int(),
        status: z.enum(['active', 'retired']),
        adoptedByProposalId: z.string().nullable(),
        adoptedAt: iso,
        retiredAt: iso.nullable(),
      }),
    ),
    history: z.array(
      z.object({
        position: z.int(),
        change: z.string(),
        sopId: z.string().nullable(),
        version: z.int().nullable(),
        content: z.unknown(),
        proposalId: z.string().nullable(),
        at: iso,
      }),
    ),
  })
  .meta({ id: 'Charter' });
export type CharterView = z.infer<typeof charterViewSchema>;
