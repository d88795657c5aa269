import { z } from 'zod';
import { executionSchema } from '../shared/execution.ts';
import { commandSchema } from '../shared/messages.ts';
import { idSchema, LIST_LIMITS, textSchema } from '../shared/primitives.ts';
import { foundingMemberSchema, sharedValuesSchema, sopSchema } from './documents.ts';
import { decisionRulesSchema } from './rules.ts';

/**
 * Records the founding assembly: the first rules, values, SOPs and member organizations. Happens once,
 * entered by whoever keeps the record of the assembly; every later change goes through proposals.
 */
export const foundCoalitionSchema = commandSchema('FoundCoalition', 'Record the founding of the coalition', {
  coalitionName: textSchema,
  rules: decisionRulesSchema,
  sharedValues: sharedValuesSchema,
  sops: z.array(sopSchema).max(LIST_LIMITS.documents),
  foundingMembers: z.array(foundingMemberSchema).min(1).max(LIST_LIMITS.organizations),
});

/** Executes an adopted charter proposal (system only). Null / empty fields leave that part unchanged. */
export const amendCharterSchema = commandSchema('AmendCharter', 'Apply an adopted charter change', {
  execution: executionSchema,
  rules: decisionRulesSchema.nullable(),
  sharedValues: sharedValuesSchema.nullable(),
  adoptSops: z.array(sopSchema).max(LIST_LIMITS.documents),
  retireSopIds: z.array(idSchema).max(LIST_LIMITS.documents),
});

/** Every command of the charter aggregate. */
export const charterCommandSchema = z.discriminatedUnion('type', [foundCoalitionSchema, amendCharterSchema]);
export type CharterCommand = z.infer<typeof charterCommandSchema>;
