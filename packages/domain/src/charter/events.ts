import { z } from 'zod';
import { executionSchema } from '../shared/execution.ts';
import { eventSchema } from '../shared/messages.ts';
import { idSchema, LIST_LIMITS, textSchema } from '../shared/primitives.ts';
import { foundingMemberSchema, sharedValuesSchema, sopSchema } from './documents.ts';
import { decisionRulesSchema } from './rules.ts';

export const coalitionFoundedSchema = eventSchema(
  'CoalitionFounded',
  'The coalition was founded with its first charter and member organizations.',
  {
    coalitionName: textSchema,
    rules: decisionRulesSchema,
    sharedValues: sharedValuesSchema,
    sops: z.array(sopSchema).max(LIST_LIMITS.documents),
    foundingMembers: z.array(foundingMemberSchema).max(LIST_LIMITS.organizations),
  },
);

export const decisionRulesChangedSchema = eventSchema(
  'DecisionRulesChanged',
  'An adopted charter proposal replaced the decision rules.',
  { rules: decisionRulesSchema, execution: executionSchema },
);

export const sharedValuesRevisedSchema = eventSchema(
  'SharedValuesRevised',
  'An adopted charter proposal replaced the shared values.',
  { sharedValues: sharedValuesSchema, execution: executionSchema },
);

export const sopAdoptedSchema = eventSchema(
  'SopAdopted',
  'An adopted charter proposal added or revised a standard operating procedure.',
  { ...sopSchema.shape, version: z.int().min(1), execution: executionSchema },
);

export const sopRetiredSchema = eventSchema(
  'SopRetired',
  'An adopted charter proposal retired a standard operating procedure.',
  { sopId: idSchema, execution: executionSchema },
);

/** Every event of the charter aggregate (stream `charter`). */
export const charterEventSchema = z.discriminatedUnion('type', [
  coalitionFoundedSchema,
  decisionRulesChangedSchema,
  sharedValuesRevisedSchema,
  sopAdoptedSchema,
  sopRetiredSchema,
]);
export type CharterEvent = z.infer<typeof charterEventSchema>;
export type CoalitionFounded = z.infer<typeof coalitionFoundedSchema>;
