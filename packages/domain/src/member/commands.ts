import { z } from 'zod';
import { verifierKeySchema } from '../log/keys.ts';
import { executionSchema } from '../shared/execution.ts';
import { commandSchema } from '../shared/messages.ts';
import { idSchema, optionalReasonSchema, textSchema } from '../shared/primitives.ts';
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

/**
 * A person representing an organization: whom an invitation, a confirmation, an appointment and a removal
 * are about.
 */
export const representativeFields = { organizationId: idSchema, personId: idSchema };

/** A representation invited, confirmed or ended, and why, if said. */
const representationFields = { ...representativeFields, reason: optionalReasonSchema };

/**
 * A facilitator or a representative of the organization invites a person to represent it. An invitation
 * from the organization's own representative is the organization's confirmation; a facilitator's
 * invitation waits for one (`ConfirmRepresentative`). The person's name and address are not part of it:
 * they stay in the personal-data store, never in the history.
 */
export const inviteRepresentativeSchema = commandSchema(
  'InviteRepresentative',
  'Invite a person to represent a member organization',
  representationFields,
);

/** The invited person (the actor) accepts. */
export const acceptRepresentationSchema = commandSchema(
  'AcceptRepresentation',
  'Accept an invitation to represent a member organization',
  { organizationId: idSchema },
);

/** A representative of the organization confirms a person invited by someone else (the facilitator). */
export const confirmRepresentativeSchema = commandSchema(
  'ConfirmRepresentative',
  'Confirm a person invited to represent your organization',
  representationFields,
);

/** Why a person was made a representative without one of the organization's own: the founding, or a decision. */
export const appointmentBasisSchema = admissionBasisSchema;
export type AppointmentBasis = AdmissionBasis;

/**
 * System only: names a representative of an organization that has none, as the founding named it or an
 * adopted membership decision of the coalition decided. The person still accepts.
 */
export const appointRepresentativeSchema = commandSchema(
  'AppointRepresentative',
  'Appoint the representative of an organization that has none',
  { ...representativeFields, basis: appointmentBasisSchema },
);

/**
 * A representative of the organization removes a representative (possibly themself), or declines a
 * pending invitation.
 */
export const removeRepresentativeSchema = commandSchema(
  'RemoveRepresentative',
  'Stop a person representing a member organization',
  representationFields,
);

/** A representative of the organization replaces its profile. */
export const updateMemberProfileSchema = commandSchema(
  'UpdateMemberProfile',
  "Update a member organization's profile",
  { organizationId: idSchema, profile: memberProfileSchema, reason: optionalReasonSchema },
);

/**
 * A representative of the organization registers the public key of a witness the organization runs
 * (`concord witness`, ADR 0009): cosignatures of the witnessed log's checkpoints made with it count as the
 * organization's. Only the public key: the private key stays on the organization's machine.
 */
export const registerWitnessKeySchema = commandSchema(
  'RegisterWitnessKey',
  "Register the public key of your organization's witness",
  { organizationId: idSchema, witnessKey: verifierKeySchema('witness') },
);

/** A representative of the organization revokes one of its witness keys (lost, replaced, compromised). */
export const revokeWitnessKeySchema = commandSchema(
  'RevokeWitnessKey',
  "Revoke a public key of your organization's witness",
  { organizationId: idSchema, witnessKey: verifierKeySchema('witness'), reason: optionalReasonSchema },
);

/** Every command of the member-organization aggregate. */
export const memberCommandSchema = z.discriminatedUnion('type', [
  admitMemberSchema,
  recordMemberDepartureSchema,
  inviteRepresentativeSchema,
  acceptRepresentationSchema,
  confirmRepresentativeSchema,
  appointRepresentativeSchema,
  removeRepresentativeSchema,
  updateMemberProfileSchema,
  registerWitnessKeySchema,
  revokeWitnessKeySchema,
]);
export type MemberCommand = z.infer<typeof memberCommandSchema>;
