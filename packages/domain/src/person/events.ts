import { z } from 'zod';
import { eventSchema } from '../shared/messages.ts';
import { idSchema } from '../shared/primitives.ts';

export const personForgottenSchema = eventSchema(
  'PersonForgotten',
  "A person's personal data was erased from the personal-data store; their acts stay as their organization's.",
  {
    personId: idSchema,
    forgottenBy: idSchema,
    on: z
      .enum(['self', 'organization', 'facilitator'])
      .describe('who carried it out: the person, their organization, or the facilitator'),
    organizationIds: z
      .array(idSchema)
      .default([])
      .describe(
        'the member organizations that named the person as a representative: the process step ends their representation there',
      ),
  },
);

/** Every event of the person aggregate (stream `person-<personId>`). */
export const personEventSchema = z.discriminatedUnion('type', [personForgottenSchema]);
export type PersonEvent = z.infer<typeof personEventSchema>;
export type PersonForgotten = Extract<PersonEvent, { type: 'PersonForgotten' }>;
