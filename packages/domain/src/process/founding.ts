import type { CoalitionFounded } from '../charter/events.ts';
import type { DomainCommand } from '../commands.ts';
import { systemActor } from '../shared/actor.ts';

/** A stored `CoalitionFounded` event: the domain event plus the id the event store gave it. */
export type StoredFounding = CoalitionFounded & { readonly id: string };

/** The reaction to the founding: admit each founding member organization (idempotent per organization). */
export function foundingCommandsFor(founded: StoredFounding, now: string): DomainCommand[] {
  const actor = systemActor('founding');
  return founded.data.foundingMembers.map(({ organizationId, name }) => ({
    type: 'AdmitMember',
    actor,
    now,
    organizationId,
    name,
    basis: { type: 'founding', foundingEventId: founded.id },
  }));
}
