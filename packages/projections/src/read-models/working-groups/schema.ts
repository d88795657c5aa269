import { mandateSchema } from '@concord/domain';
import { z } from 'zod';
import { iso } from '../primitives.ts';

/** A working group as listed: mandate, leads, status, how many organizations and hours it has. */
export const workingGroupViewSchema = z
  .object({
    groupId: z.string(),
    name: z.string(),
    purpose: z.string(),
    status: z.enum(['active', 'dissolved']),
    mandate: mandateSchema,
    leadOrganizationIds: z.array(z.string()),
    createdByProposalId: z.string(),
    mandateProposalId: z.string(),
    createdAt: iso,
    dissolvedAt: iso.nullable(),
    updatedAt: iso,
    memberCount: z.int(),
    hoursPerMonth: z.int(),
  })
  .meta({ id: 'WorkingGroup' });
export type WorkingGroupView = z.infer<typeof workingGroupViewSchema>;

const groupMemberSchema = z.object({
  organizationId: z.string(),
  name: z.string().nullable(),
  hoursPerMonth: z.int(),
  isLead: z.boolean(),
  joinedAt: iso,
  updatedAt: iso,
});
/** A member organization of a working group and the time it commits. */
export type GroupMemberView = z.infer<typeof groupMemberSchema>;

/** A working group with its member organizations. */
export const workingGroupDetailSchema = workingGroupViewSchema
  .extend({ members: z.array(groupMemberSchema) })
  .meta({ id: 'WorkingGroupDetail' });
export type WorkingGroupDetail = z.infer<typeof workingGroupDetailSchema>;
