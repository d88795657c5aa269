import { z } from 'zod';
import { email, idParam, name, oneTimeToken, password, timestamp } from './primitives.ts';

/** What a signed-in person may do: from their account (facilitator, auditor) or the events (representative). */
export const roleSchema = z.enum(['representative', 'facilitator', 'auditor', 'partner', 'none']).meta({
  id: 'Role',
  description:
    "a person's role; `partner`: takes part for an organization outside the coalition in its partnerships only; `none` while no role is active (e.g. representation ended)",
});
export type Role = z.infer<typeof roleSchema>;

export const signInBody = z
  .strictObject({ email, password: z.string().min(1).max(256) })
  .meta({ id: 'SignInRequest' });

export const meSchema = z
  .object({
    personId: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleSchema,
    organizationId: z
      .string()
      .nullable()
      .describe(
        'the member organization a representative acts for, or the partner organization of a partner',
      ),
    awaitingConfirmationBy: z
      .object({ organizationId: z.string(), name: z.string() })
      .nullable()
      .describe(
        'for a person without a role who accepted an invitation: the organization that must confirm them (they cannot read the members list to look it up)',
      ),
    sessionId: z.string(),
  })
  .meta({ id: 'Me', description: 'the signed-in person' });
export type Me = z.infer<typeof meSchema>;

export const sessionSchema = z
  .object({
    sessionId: z.string(),
    createdAt: timestamp,
    lastSeenAt: timestamp,
    expiresAt: timestamp,
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'Session', description: 'a signed-in browser or device' });

export const sessionListSchema = z.object({ sessions: z.array(sessionSchema) }).meta({ id: 'SessionList' });

export const sessionParams = z.strictObject({ sessionId: idParam });

export const inviteStaffBody = z
  .strictObject({ role: z.enum(['auditor', 'facilitator']), email, name })
  .meta({ id: 'InviteStaffRequest', description: 'invite an auditor (reads everything) or a facilitator' });

export const acceptInvitationBody = z
  .strictObject({
    token: oneTimeToken,
    password: password.optional().describe('required for a new account; an existing account keeps its own'),
  })
  .meta({ id: 'AcceptInvitationRequest' });

export const passwordResetRequestBody = z.strictObject({ email }).meta({ id: 'PasswordResetRequest' });

export const passwordResetCompleteBody = z
  .strictObject({ token: oneTimeToken, password })
  .meta({ id: 'PasswordResetCompletion' });

export const setupBody = z.strictObject({ token: oneTimeToken, email, name, password }).meta({
  id: 'SetupRequest',
  description: 'creates the first facilitator with the link printed at first start',
});
