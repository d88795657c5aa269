import type { DomainCommand } from '../commands.ts';
import type { PersonForgotten } from '../person/events.ts';
import { systemActor } from '../shared/actor.ts';

/**
 * The reaction to a person being forgotten: their representation ends in every organization that named
 * them. An erased account cannot sign in, so leaving it "active" would count an organization as
 * represented by nobody who can speak, and would stop the coalition appointing it a new representative.
 * Each step is idempotent: an organization that no longer names the person refuses with
 * `REPRESENTATIVE_NOT_FOUND`, which the step takes as done.
 */
export function forgettingCommandsFor(
  forgotten: PersonForgotten,
  now: string,
): Extract<DomainCommand, { type: 'RemoveRepresentative' }>[] {
  const actor = systemActor('forgetting');
  const { personId, organizationIds } = forgotten.data;
  return organizationIds.map((organizationId) => ({
    type: 'RemoveRepresentative' as const,
    actor,
    now,
    organizationId,
    personId,
    reason: 'The person was forgotten: an erased account cannot speak for the organization.',
  }));
}
