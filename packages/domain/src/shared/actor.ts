import { z } from 'zod';
import { type DomainError, domainError } from '../errors.ts';
import { idSchema } from './primitives.ts';

/**
 * Who is acting. The application layer authenticates the person and fills this in; the domain then
 * enforces what each role may do:
 * - `representative`: a person currently representing an admitted member organization (`organizationId`).
 * - `facilitator`: the secretariat; invites, schedules and proposes, never speaks for an organization
 *   and never moves money.
 * - `auditor`: reads and verifies; every command from an auditor is refused.
 * - `partner`: a person taking part for an organization outside the coalition (`organizationId`) in a
 *   partnership with it: check-ins, actions and shared learning of that partnership, nothing else.
 * - `system`: an automatic process step executing an adopted decision (see `executionCommandsFor`);
 *   only it may issue commands that change money, membership, working groups or the charter.
 */
export const actorSchema = z
  .discriminatedUnion('role', [
    z.object({ role: z.literal('representative'), personId: idSchema, organizationId: idSchema }),
    z.object({ role: z.literal('facilitator'), personId: idSchema, organizationId: idSchema.nullable() }),
    z.object({ role: z.literal('auditor'), personId: idSchema, organizationId: idSchema.nullable() }),
    z.object({ role: z.literal('partner'), personId: idSchema, organizationId: idSchema }),
    z.object({ role: z.literal('system'), personId: idSchema, organizationId: z.null() }),
  ])
  .meta({ id: 'Actor', description: 'who acts: person, organization and role' });
export type Actor = z.infer<typeof actorSchema>;
export type ActorRole = Actor['role'];

/** The actor of a process step, e.g. `systemActor('decision-execution')`. */
export function systemActor(process: string): Actor {
  return { role: 'system', personId: `system:${process}`, organizationId: null };
}

/**
 * The refusal for an actor whose role may not issue a command that `allowed` roles may issue: the error
 * that explains why (see `checkPermission`, the one place that asks).
 */
export function roleRefusal(role: ActorRole, allowed: readonly ActorRole[]): DomainError {
  const systemOnly = allowed.length === 1 && allowed[0] === 'system';
  switch (role) {
    case 'auditor':
      return domainError('AUDITOR_READ_ONLY');
    case 'system':
      return domainError('PEOPLE_ONLY');
    case 'facilitator':
      return domainError(systemOnly ? 'DECISION_EXECUTION_ONLY' : 'FACILITATOR_NOT_ALLOWED');
    case 'partner':
      return domainError('PARTNER_NOT_ALLOWED');
    case 'representative':
      // Representatives may do everything people do but the secretariat's few tasks (some of which a
      // process step may also do, such as opening a round on schedule) and a partner's own; the rest is
      // a process step's.
      if (systemOnly) return domainError('DECISION_EXECUTION_ONLY');
      return domainError(allowed.includes('facilitator') ? 'FACILITATOR_ONLY' : 'NOT_A_PARTY');
  }
}
