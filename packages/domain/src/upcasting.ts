import { z } from 'zod';
import { type DefaultsPresent, defaultsPresent } from './defaults-present.ts';
import { type DomainEvent, domainEventSchema, type EventType, eventSchemaVersions } from './events.ts';
import { idSchema, textSchema, timestampSchema } from './shared/primitives.ts';

/** Turns the data of one version of an event into the data of the next version. */
export type Upcaster = (data: unknown) => unknown;

// StanceTaken v1, from the first pilot: stances were called "positions", with other names, an optional
// reason, and no revision or round (proposals could not be amended and had a single round then).
const stanceTakenV1Schema = z.object({
  proposalId: idSchema,
  organizationId: idSchema,
  personId: idSchema,
  position: z.enum(['agree', 'concern', 'standAside', 'object']),
  reason: textSchema.optional(),
  at: timestampSchema,
});

const stanceOfPosition = {
  agree: 'consent',
  concern: 'concerns',
  standAside: 'standAside',
  object: 'block',
} as const;

// RepresentativeInvited v1 carried the invited person's name, and an invitation accepted was enough to
// represent the organization. v2 keeps names out of the history (they live in the personal-data store)
// and records whether the organization itself confirmed the person; a v1 invitation was, under the rules
// of its time, as good as confirmed, so the people it made representatives stay representatives.
const representativeInvitedV1Schema = z.object({
  organizationId: idSchema,
  personId: idSchema,
  name: z.string(),
  invitedBy: idSchema,
  at: timestampSchema,
});

/** Upcasters by event type and by the version they read. */
export const upcasters: Partial<Record<EventType, Readonly<Record<number, Upcaster>>>> = {
  RepresentativeInvited: {
    1: (data) => {
      const { name: _name, ...rest } = representativeInvitedV1Schema.parse(data);
      return { ...rest, confirmed: true, reason: null };
    },
  },
  StanceTaken: {
    1: (data) => {
      const { position, reason, ...rest } = stanceTakenV1Schema.parse(data);
      return { ...rest, stance: stanceOfPosition[position], reason: reason ?? null, revision: 1, round: 1 };
    },
  },
};

/**
 * Reads a stored event of any known version as the current shape: applies the upcasters from `version`
 * up to the current one, then validates. Throws on an unknown type, a version from the future, a missing
 * upcaster or data that does not fit: stored history that cannot be read must stop the reader loudly.
 */
export function upcast(type: string, version: number, data: unknown): DomainEvent {
  if (!(type in eventSchemaVersions)) throw new Error(`Unknown event type ${type}`);
  const eventType = type as EventType;
  const current = eventSchemaVersions[eventType];
  if (!Number.isInteger(version) || version < 1 || version > current) {
    throw new Error(`${type} has no schema version ${version} (current is ${current})`);
  }
  let upcasted = data;
  for (let from = version; from < current; from++) {
    const step = upcasters[eventType]?.[from];
    if (!step) throw new Error(`No upcaster for ${type} from version ${from}`);
    upcasted = step(upcasted);
  }
  return domainEventSchema.parse({ type, data: upcasted });
}

/** Per type with defaults, how to tell stored data that already has them all (null: never told). */
let defaulted: ReadonlyMap<string, DefaultsPresent | null> | undefined;

function defaultedTypes(): ReadonlyMap<string, DefaultsPresent | null> {
  const byType = new Map<string, DefaultsPresent | null>();
  for (const option of domainEventSchema.options) {
    const schema = z.toJSONSchema(option.shape.data, { io: 'input', unrepresentable: 'any' });
    if (!JSON.stringify(schema).includes('"default":')) continue;
    byType.set(option.shape.type.value, defaultsPresent(schema as Record<string, unknown>));
  }
  return byType;
}

/**
 * Whether stored data of an event type's current version can be taken as it is, without the schema. A
 * field with a default may have been added after events of the type were stored (documents were, to
 * proposals, comments and applications, in the same version): such events lack it, and only the schema
 * fills it in, so readers in bulk (the projector) read them through `upcast`. Told by the type's JSON
 * Schema, where any `default` counts: a type with none is always readable as stored; one with defaults is
 * when `data` holds every field with one, at every depth (`defaultsPresent`: the schema would change
 * nothing). Where that cannot be told from the schema, the type is always read through it: slower, never
 * wrong. Worked out on first use, not when the domain is loaded.
 */
export function readableAsStored(type: EventType, data?: unknown): boolean {
  defaulted ??= defaultedTypes();
  if (!defaulted.has(type)) return true;
  const present = defaulted.get(type);
  return present != null && data !== undefined && present(data);
}

/**
 * Stored event versions that carried people's personal data (names) before it was kept out of events,
 * by type. Their upcast to the current version drops it; `concord migrate-personal-data` rewrites such
 * stored events as their upcast, so the log itself no longer holds the data.
 */
export const personalDataVersions: Partial<Record<EventType, readonly number[]>> = {
  RepresentativeInvited: [1],
};
