import type { CoalitionFounded } from '../charter/events.ts';
import type { DomainCommand } from '../commands.ts';
import { systemActor } from '../shared/actor.ts';

/** A stored `CoalitionFounded` event: the domain event plus the id the event store gave it. */
export type StoredFounding = CoalitionFounded & { readonly id: string };

/**
 * The reaction to the founding: admit each founding member organization and appoint the first
 * representatives the founding named (each step idempotent).
 */
export function foundingCommandsFor(founded: StoredFounding, now: string): DomainCommand[] {
  const actor = systemActor('founding');
  const basis = { type: 'founding', foundingEventId: founded.id } as const;
  return founded.data.foundingMembers.flatMap(({ organizationId, name, representativeIds }) => [
    { type: 'AdmitMember', actor, now, organizationId, name, basis },
    ...representativeIds.map(
      (personId): DomainCommand => ({
        type: 'AppointRepresentative',
        actor,
        now,
        organizationId,
        personId,
        basis,
      }),
    ),
  ]);
}
