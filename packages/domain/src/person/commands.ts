import { z } from 'zod';
import { commandSchema } from '../shared/messages.ts';
import { idSchema } from '../shared/primitives.ts';

/**
 * Forgets a person: their name, address and account leave the personal-data store, and the history
 * records only that it happened (ids, never the data). The person themself, a representative of an
 * organization they represent or represented, or the facilitator carries it out.
 * Context: `organizationIds` = the member organizations whose streams name the person as a
 * representative (invited, active or removed), from those streams.
 */
export const forgetPersonSchema = commandSchema('ForgetPerson', "Forget a person's personal data", {
  personId: idSchema,
  context: z.object({ organizationIds: z.array(idSchema) }),
});

/** Every command of the person aggregate. */
export const personCommandSchema = z.discriminatedUnion('type', [forgetPersonSchema]);
export type PersonCommand = z.infer<typeof personCommandSchema>;
