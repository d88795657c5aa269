import { z } from 'zod';
import { eventSchema, fieldsOf } from '../shared/messages.ts';
import { idSchema, optionalReasonSchema } from '../shared/primitives.ts';
import {
  createWorkingGroupSchema,
  dissolveWorkingGroupSchema,
  hoursPerMonthSchema,
  setWorkingGroupLeadsSchema,
  setWorkingGroupMandateSchema,
} from './commands.ts';

export const workingGroupCreatedSchema = eventSchema(
  'WorkingGroupCreated',
  'The full coalition created a working group with a mandate.',
  fieldsOf(createWorkingGroupSchema),
);

export const workingGroupMandateSetSchema = eventSchema(
  'WorkingGroupMandateSet',
  "The full coalition replaced a working group's mandate.",
  fieldsOf(setWorkingGroupMandateSchema),
);

export const workingGroupLeadsSetSchema = eventSchema(
  'WorkingGroupLeadsSet',
  'The working group named its lead organizations.',
  fieldsOf(setWorkingGroupLeadsSchema),
);

export const workingGroupDissolvedSchema = eventSchema(
  'WorkingGroupDissolved',
  'The full coalition dissolved a working group.',
  fieldsOf(dissolveWorkingGroupSchema),
);

/** A member organization in a group, and the representative who acted for it. */
const groupMemberFields = { groupId: idSchema, organizationId: idSchema, personId: idSchema };

/** An organization's time for a group, as its representative stated it on joining or since. */
const timeCommitmentFields = {
  ...groupMemberFields,
  hoursPerMonth: hoursPerMonthSchema,
  reason: optionalReasonSchema,
};

export const workingGroupJoinedSchema = eventSchema(
  'WorkingGroupJoined',
  'A member organization joined a working group and stated the time it commits.',
  timeCommitmentFields,
);

export const workingGroupLeftSchema = eventSchema(
  'WorkingGroupLeft',
  'A member organization left a working group (and stopped leading it, if it did).',
  { ...groupMemberFields, reason: optionalReasonSchema },
);

export const timeCommittedSchema = eventSchema(
  'TimeCommitted',
  'A member organization restated the time it commits to a working group.',
  timeCommitmentFields,
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
