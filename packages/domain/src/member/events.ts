import { z } from 'zod';
import { eventSchema, fieldsOf } from '../shared/messages.ts';
import { idSchema, optionalReasonSchema } from '../shared/primitives.ts';
import {
  admitMemberSchema,
  appointRepresentativeSchema,
  recordMemberDepartureSchema,
  representativeFields,
} from './commands.ts';
import { memberProfileSchema } from './profile.ts';

const keyNameSchema = z.string().describe('the witness key name');

export const memberAdmittedSchema = eventSchema(
  'MemberAdmitted',
  'An organization became a member of the coalition (at the founding or by decision).',
  fieldsOf(admitMemberSchema),
);

export const memberDepartedSchema = eventSchema(
  'MemberDeparted',
  'A member organization left the coalition by decision.',
  fieldsOf(recordMemberDepartureSchema),
);

export const representativeInvitedSchema = eventSchema(
  'RepresentativeInvited',
  "A person was invited to represent a member organization; confirmed when one of the organization's own representatives invited them.",
  {
    ...representativeFields,
    invitedBy: idSchema,
    confirmed: z.boolean().describe("invited by one of the organization's own representatives"),
    reason: optionalReasonSchema,
  },
);

export const representativeJoinedSchema = eventSchema(
  'RepresentativeJoined',
  'An invited person accepted; they represent the organization once it has confirmed them.',
  representativeFields,
);

export const representativeConfirmedSchema = eventSchema(
  'RepresentativeConfirmed',
  'A representative of the organization confirmed a person invited by someone else.',
  { ...representativeFields, confirmedBy: idSchema, reason: optionalReasonSchema },
);

export const representativeAppointedSchema = eventSchema(
  'RepresentativeAppointed',
  'A person was named representative of an organization without one, at the founding or by a coalition decision.',
  fieldsOf(appointRepresentativeSchema),
);

export const representativeRemovedSchema = eventSchema(
  'RepresentativeRemoved',
  'A person no longer represents the organization (or a pending invitation was declined).',
  { ...representativeFields, removedBy: idSchema, reason: optionalReasonSchema },
);

export const memberProfileUpdatedSchema = eventSchema(
  'MemberProfileUpdated',
  'A member organization updated its profile (availability, interests, goals, time).',
  {
    organizationId: idSchema,
    profile: memberProfileSchema,
    updatedBy: idSchema,
    reason: optionalReasonSchema,
  },
);

export const witnessKeyRegisteredSchema = eventSchema(
  'WitnessKeyRegistered',
  "A member organization registered the public key of its witness: its cosignatures of the log's checkpoints count as the organization's.",
  {
    organizationId: idSchema,
    keyName: keyNameSchema,
    witnessKey: z.string().describe('verifier key text: name+keyid+base64(0x04 || key)'),
    registeredBy: idSchema,
  },
);

export const witnessKeyRevokedSchema = eventSchema(
  'WitnessKeyRevoked',
  'A member organization revoked a witness key: cosignatures made with it are no longer accepted.',
  {
    organizationId: idSchema,
    keyName: keyNameSchema,
    witnessKey: z.string(),
    revokedBy: idSchema,
    reason: optionalReasonSchema,
  },
);

/** Every event of the member-organization aggregate (stream `member-<organizationId>`). */
export const memberEventSchema = z.discriminatedUnion('type', [
  memberAdmittedSchema,
  memberDepartedSchema,
  representativeInvitedSchema,
  representativeJoinedSchema,
  representativeConfirmedSchema,
  representativeAppointedSchema,
  representativeRemovedSchema,
  memberProfileUpdatedSchema,
  witnessKeyRegisteredSchema,
  witnessKeyRevokedSchema,
]);
export type MemberEvent = z.infer<typeof memberEventSchema>;
