import { z } from 'zod';
import { idSchema, LIST_LIMITS, textSchema } from '../shared/primitives.ts';

/** A standard operating procedure, versioned through charter decisions. */
export const sopSchema = z
  .object({
    sopId: idSchema,
    title: textSchema,
    text: textSchema,
  })
  .meta({ id: 'Sop', description: 'a standard operating procedure' });
export type Sop = z.infer<typeof sopSchema>;

/** The coalition's shared values, as written statements. */
export const sharedValuesSchema = z
  .array(textSchema)
  .max(LIST_LIMITS.documents)
  .describe('the shared values, in order');

/**
 * An organization named at the founding of the coalition, with the people the founding names as its first
 * representatives (ids only; they still accept). Afterwards only the organization itself confirms who
 * represents it.
 */
export const foundingMemberSchema = z
  .object({
    organizationId: idSchema,
    name: textSchema,
    representativeIds: z
      .array(idSchema)
      .max(20)
      .default([])
      .describe("person ids of the organization's first representatives"),
  })
  .meta({ id: 'FoundingMember', description: 'an organization named at the founding' });
