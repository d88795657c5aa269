import { z } from 'zod';
import { idSchema, textSchema } from '../shared/primitives.ts';

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
export const sharedValuesSchema = z.array(textSchema).describe('the shared values, in order');

/** An organization named at the founding of the coalition. */
export const foundingMemberSchema = z
  .object({ organizationId: idSchema, name: textSchema })
  .meta({ id: 'FoundingMember', description: 'an organization named at the founding' });
