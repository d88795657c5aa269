import { z } from 'zod';
import { executionSchema } from '../shared/execution.ts';
import { commandSchema } from '../shared/messages.ts';
import { idSchema, LIST_LIMITS, optionalReasonSchema, textSchema } from '../shared/primitives.ts';
import { mandateSchema } from './mandate.ts';

/** Hours per month an organization says it can give a group. */
export const hoursPerMonthSchema = z.int().min(0).max(744);

/**
 * The fields of a system command that executes an adopted decision about a group: the group, what the
 * decision changes, and the decision itself (last, as the group's events record it).
 */
function groupDecisionFields<Changes extends z.ZodRawShape>(changes: Changes) {
  return { groupId: idSchema, ...changes, execution: executionSchema };
}

/** System only: creates a group decided by the full coalition. */
export const createWorkingGroupSchema = commandSchema(
  'CreateWorkingGroup',
  'Create a working group',
  groupDecisionFields({ name: textSchema, purpose: textSchema, mandate: mandateSchema }),
);

/** System only: replaces the mandate, as decided by the full coalition. */
export const setWorkingGroupMandateSchema = commandSchema(
  'SetWorkingGroupMandate',
  "Replace a working group's mandate",
  groupDecisionFields({ mandate: mandateSchema }),
);

/** System only: names the lead organizations, as decided by the group itself. */
export const setWorkingGroupLeadsSchema = commandSchema(
  'SetWorkingGroupLeads',
  "Name a working group's leads",
  groupDecisionFields({ leadOrganizationIds: z.array(idSchema).max(LIST_LIMITS.organizations) }),
);

/** System only: dissolves a group, as decided by the full coalition. */
export const dissolveWorkingGroupSchema = commandSchema(
  'DissolveWorkingGroup',
  'Dissolve a working group',
  groupDecisionFields({}),
);

/** The time an organization says it commits to a group: on joining it, and whenever it restates it. */
const timeCommitmentFields = {
  groupId: idSchema,
  hoursPerMonth: hoursPerMonthSchema,
  reason: optionalReasonSchema,
};

/** A representative brings their organization into the group, stating the time it can commit. */
export const joinWorkingGroupSchema = commandSchema(
  'JoinWorkingGroup',
  'Join a working group',
  timeCommitmentFields,
);

/** A representative takes their organization out of the group. */
export const leaveWorkingGroupSchema = commandSchema('LeaveWorkingGroup', 'Leave a working group', {
  groupId: idSchema,
  reason: optionalReasonSchema,
});

/** A representative restates how much time their organization can commit. */
export const commitTimeSchema = commandSchema(
  'CommitTime',
  'State the time an organization commits to a group',
  timeCommitmentFields,
);

/** Every command of the working-group aggregate. */
export const workingGroupCommandSchema = z.discriminatedUnion('type', [
  createWorkingGroupSchema,
  setWorkingGroupMandateSchema,
  setWorkingGroupLeadsSchema,
  dissolveWorkingGroupSchema,
  joinWorkingGroupSchema,
  leaveWorkingGroupSchema,
  commitTimeSchema,
]);
export type WorkingGroupCommand = z.infer<typeof workingGroupCommandSchema>;
