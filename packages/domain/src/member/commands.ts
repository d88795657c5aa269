import { z } from 'zod';
import { executionSchema } from '../shared/execution.ts';
import { commandSchema } from '../shared/messages.ts';
import { idSchema, textSchema } from '../shared/primitives.ts';
import { memberProfileSchema } from './profile.ts';

/** Why an organization is admitted: it was named at the founding, or the coalition decided it. */
export const admissionBasisSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('founding'), foundingEventId: idSchema }),
    z.object({ type: z.literal('decision'), execution: executionSchema }),
  ])
  .meta({ id: 'AdmissionBasis', description: 'why an organization was admitted' });
export type AdmissionBasis = z.infer<typeof admissionBasisSchema>;

/** System only: admits an organization named at the founding or by an adopted membership proposal. */
export const admitMemberSchema = commandSchema('AdmitMember', 'Admit a member organization', {
  organizationId: idSchema,
  name: textSchema,
  basis: admissionBasisSchema,
});

/** System only: records a departure decided by an adopted membership proposal. */
export const recordMemberDepartureSchema = commandSchema(
  'RecordMemberDeparture',
  'Record that a member organization left',
  { organizationId: idSchema, reason: textSchema, execution: executionSchema },
);

/** A facilitator or a representative of the organization invites a person to represent it. */
export const inviteRepresentativeSchema = commandSchema(
  'InviteRepresentative',
  'Invite a person to represent a member organization',
  { organizationId: idSchema, personId: idSchema, name: textSchema },
);

/** The invited person (the actor) accepts. */
export const acceptRepresentationSchema = commandSchema(
  'AcceptRepresentation',
  'Accept an invitation to represent a member organization',
  { organizationId: idSchema },
);

/** A representative of the organization removes a representative (possibly themself). */
export const removeRepresentativeSchema = commandSchema(
  'RemoveRepresentative',
  'Stop a person representing a member organization',
  { organizationId: idSchema, personId: idSchema },
);

/** A representative of the organization replaces its profile. */
export const updateMemberProfileSchema = commandSchema(
  'UpdateMemberProfile',
  "Update a member organization's profile",
  { organizationId: idSchema, profile: memberProfileSchema },
);

/** Every command of the member-organization aggregate. */
export const memberCommandSchema = z.discriminatedUnion('type', [
  admitMemberSchema,
  recordMemberDepartureSchema,
  inviteRepresentativeSchema,
  acceptRepresentationSchema,
  removeRepresentativeSchema,
  updateMemberProfileSchema,
]);
export type MemberCommand = z.infer<typeof memberCommandSchema>;
