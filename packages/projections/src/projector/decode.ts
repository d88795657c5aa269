import { type DomainEvent, eventSchemaVersions, upcast } from '@concord/domain';
import type { RecordedEvent } from '@concord/event-store';
import { type EventLinks, linksOf } from '../views/audit.ts';

/** A stored event read as the domain's current shape, with where and when it was stored. */
export interface ProjectedEvent {
  readonly recorded: RecordedEvent;
  readonly event: DomainEvent;
  /** The ids the event is about (proposal, budget, line, group, grant call, organization). */
  readonly links: EventLinks;
}

/**
 * Reads a stored event as the current shape. Older schema versions go through the domain's `upcast`
 * (which also validates them). Events of the current version were validated by the domain when decided
 * and are protected by the hash chain, so by default they are taken as stored; `validate` checks them too.
 */
export function decode(recorded: RecordedEvent, validate = false): ProjectedEvent {
  const current = (eventSchemaVersions as Record<string, number>)[recorded.type];
  if (current === undefined)
    throw new Error(`Unknown event type ${recorded.type} at ${recorded.globalPosition}`);
  const version =
    typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : current;
  const event =
    validate || version !== current
      ? upcast(recorded.type, version, recorded.data)
      : ({ type: recorded.type, data: recorded.data } as DomainEvent);
  return { recorded, event, links: linksOf(event) };
}
