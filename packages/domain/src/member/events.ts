import { z } from 'zod';
import { executionSchema } from '../shared/execution.ts';
import { eventSchema } from '../shared/messages.ts';
import { idSchema, textSchema } from '../shared/primitives.ts';
import { admissionBasisSchema } from './commands.ts';
import { memberProfileSchema } from './profile.ts';

export const memberAdmittedSchema = eventSchema(
  'MemberAdmitted',
  'An organization became a member of the coalition (at the founding or by decision).',
  { organizationId: idSchema, name: textSchema, basis: admissionBasisSchema },
);

export const memberDepartedSchema = eventSchema(
  'MemberDeparted',
  'A member organization left the coalition by decision.',
  { organizationId: idSchema, reason: textSchema, execution: executionSchema },
);

export const representativeInvitedSchema = eventSchema(
  'RepresentativeInvited',
  'A person was invited to represent a member organization.',
  { organizationId: idSchema, personId: idSchema, name: textSchema, invitedBy: idSchema },
);

export const representativeJoinedSchema = eventSchema(
  'RepresentativeJoined',
  'An invited person accepted and now represents the organization.',
  { organizationId: idSchema, personId: idSchema },
);

export const representativeRemovedSchema = eventSchema(
  'RepresentativeRemoved',
  'A person no longer represents the organization.',
  { organizationId: idSchema, personId: idSchema, removedBy: idSchema },
);

export const memberProfileUpdatedSchema = eventSchema(
  'MemberProfileUpdated',
  'A member organization updated its profile (availability, interests, goals, time).',
  { organizationId: idSchema, profile: memberProfileSchema, updatedBy: idSchema },
);

/** Every event of the member-organization aggregate (stream `member-<organizationId>`). */
export const memberEventSchema = z.discriminatedUnion('type', [
  memberAdmittedSchema,
  memberDepartedSchema,
  representativeInvitedSchema,
  representativeJoinedSchema,
  representativeRemovedSchema,
  memberProfileUpdatedSchema,
]);
export type MemberEvent = z.infer<typeof memberEventSchema>;
