import { z } from 'zod';
import { executionSchema } from '../shared/execution.ts';
import { eventSchema } from '../shared/messages.ts';
import { idSchema, LIST_LIMITS, optionalReasonSchema, textSchema } from '../shared/primitives.ts';
import { hoursPerMonthSchema } from './commands.ts';
import { mandateSchema } from './mandate.ts';

export const workingGroupCreatedSchema = eventSchema(
  'WorkingGroupCreated',
  'The full coalition created a working group with a mandate.',
  {
    groupId: idSchema,
    name: textSchema,
    purpose: textSchema,
    mandate: mandateSchema,
    execution: executionSchema,
  },
);

export const workingGroupMandateSetSchema = eventSchema(
  'WorkingGroupMandateSet',
  "The full coalition replaced a working group's mandate.",
  { groupId: idSchema, mandate: mandateSchema, execution: executionSchema },
);

export const workingGroupLeadsSetSchema = eventSchema(
  'WorkingGroupLeadsSet',
  'The working group named its lead organizations.',
  {
    groupId: idSchema,
    leadOrganizationIds: z.array(idSchema).max(LIST_LIMITS.organizations),
    execution: executionSchema,
  },
);

export const workingGroupDissolvedSchema = eventSchema(
  'WorkingGroupDissolved',
  'The full coalition dissolved a working group.',
  { groupId: idSchema, execution: executionSchema },
);

export const workingGroupJoinedSchema = eventSchema(
  'WorkingGroupJoined',
  'A member organization joined a working group and stated the time it commits.',
  {
    groupId: idSchema,
    organizationId: idSchema,
    personId: idSchema,
    hoursPerMonth: hoursPerMonthSchema,
    reason: optionalReasonSchema,
  },
);

export const workingGroupLeftSchema = eventSchema(
  'WorkingGroupLeft',
  'A member organization left a working group (and stopped leading it, if it did).',
  { groupId: idSchema, organizationId: idSchema, personId: idSchema, reason: optionalReasonSchema },
);

export const timeCommittedSchema = eventSchema(
  'TimeCommitted',
  'A member organization restated the time it commits to a working group.',
  {
    groupId: idSchema,
    organizationId: idSchema,
    personId: idSchema,
    hoursPerMonth: hoursPerMonthSchema,
    reason: optionalReasonSchema,
  },
);

/** Every event of the working-group aggregate (stream `workinggroup-<groupId>`). */
export const workingGroupEventSchema = z.discriminatedUnion('type', [
  workingGroupCreatedSchema,
  workingGroupMandateSetSchema,
  workingGroupLeadsSetSchema,
  workingGroupDissolvedSchema,
  workingGroupJoinedSchema,
  workingGroupLeftSchema,
  timeCommittedSchema,
]);
export type WorkingGroupEvent = z.infer<typeof workingGroupEventSchema>;
