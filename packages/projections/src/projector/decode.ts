import {
  type DomainEvent,
  type EventType,
  eventSchemaVersions,
  readableAsStored,
  upcast,
} from '@concord/domain';
import type { RecordedEvent, StoredEventText } from '@concord/event-store';
import { type EventLinks, linksOf } from '../read-models/audit/projection.ts';

/** What the views use of a stored event besides its data. */
export type EventRecord = Pick<
  RecordedEvent,
  'id' | 'type' | 'streamId' | 'streamPosition' | 'globalPosition' | 'hash' | 'metadata'
>;

/** A stored event read as the domain's current shape, with where and when it was stored. */
export interface ProjectedEvent {
  readonly recorded: EventRecord;
  readonly event: DomainEvent;
  /** The ids the event is about (proposal, budget, line, group, grant call, organization). */
  readonly links: EventLinks;
  /** When it was recorded, as the read models store instants (ISO-8601 UTC with milliseconds). */
  readonly recordedAt: string;
}

const versions = eventSchemaVersions as Record<string, number>;

function project(
  recorded: EventRecord,
  data: unknown,
  recordedAt: string,
  validate: boolean,
): ProjectedEvent {
  const current = versions[recorded.type];
  if (current === undefined)
    throw new Error(`Unknown event type ${recorded.type} at ${recorded.globalPosition}`);
  const version =
    typeof recorded.metadata.schemaVersion === 'number' ? recorded.metadata.schemaVersion : current;
  const event =
    validate || version !== current || !readableAsStored(recorded.type as EventType, data)
      ? upcast(recorded.type, version, data)
      : ({ type: recorded.type, data } as DomainEvent);
  return { recorded, event, links: linksOf(event), recordedAt };
}

/**
 * Reads a stored event as the current shape. Older schema versions go through the domain's `upcast`
 * (which also validates them). Events of the current version were validated by the domain when decided
 * and are protected by the hash chain, so by default they are taken as stored, unless their type has
 * fields with defaults and the event lacks one: an event stored before such a field was added, which only
 * the schema fills in (`readableAsStored`). `validate` checks every event.
 */
export function decode(recorded: RecordedEvent, validate = false): ProjectedEvent {
  return project(recorded, recorded.data, recorded.recordedAt.toISOString(), validate);
}

/** `decode` for an event read in bulk (`PostgresEventStore.scan`): its JSON text is parsed here, once. */
export function decodeStored(stored: StoredEventText, validate = false): ProjectedEvent {
  const recorded: EventRecord = {
    id: stored.id,
    type: stored.type,
    streamId: stored.streamId,
    streamPosition: stored.streamPosition,
    globalPosition: stored.globalPosition,
    hash: stored.hash,
    metadata: JSON.parse(stored.metadata) ?? {},
  };
  return project(recorded, JSON.parse(stored.data), stored.recordedAt, validate);
}
