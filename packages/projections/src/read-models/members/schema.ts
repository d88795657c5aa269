import { memberProfileSchema } from '@concord/domain';
import { z } from 'zod';
import { iso } from '../primitives.ts';

/** A member organization as listed: status, admission, profile and how many people represent it. */
export const memberViewSchema = z
  .object({
    organizationId: z.string(),
    name: z.string(),
    status: z.enum(['member', 'departed']),
    admission: z.enum(['founding', 'decision']),
    admittedByProposalId: z.string().nullable(),
    admittedAt: iso,
    departedAt: iso.nullable(),
    departureReason: z.string().nullable(),
    profile: memberProfileSchema.nullable(),
    profileUpdatedAt: iso.nullable(),
    updatedAt: iso,
    activeRepresentatives: z.int(),
  })
  .meta({ id: 'Member' });
export type MemberView = z.infer<typeof memberViewSchema>;

const representativeSchema = z.object({
  organizationId: z.string(),
  personId: z.string(),
  name: z
    .string()
    .nullable()
    .describe('from the personal-data store, never from the history; null for a person no longer known'),
  status: z
    .enum(['invited', 'awaitingConfirmation', 'active'])
    .describe(
      'invited: not accepted yet; awaitingConfirmation: accepted, the organization has not confirmed',
    ),
  confirmed: z.boolean().describe('the organization confirmed the person'),
  invitedByPersonId: z.string(),
  invitedAt: iso,
  joinedAt: iso.nullable(),
});

/**
 * A representative as the read model holds it: everything but the name, which the API adds from the
 * personal-data store (names are never in the history).
 */
export type RepresentativeView = Omit<z.infer<typeof representativeSchema>, 'name'>;

const commitmentSchema = z.object({
  groupId: z.string(),
  groupName: z.string(),
  hoursPerMonth: z.int(),
  isLead: z.boolean(),
});

/** A member organization with its representatives and working-group commitments. */
export const memberDetailSchema = memberViewSchema
  .extend({ representatives: z.array(representativeSchema), commitments: z.array(commitmentSchema) })
  .meta({ id: 'MemberDetail' });

/** What the read model answers for a member: the schema's shape, representatives without their names. */
export interface MemberDetail extends Omit<z.infer<typeof memberDetailSchema>, 'representatives'> {
  representatives: RepresentativeView[];
}
