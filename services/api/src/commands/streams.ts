import {
  type AggregateName,
  type DomainEvent,
  deciderFor,
  type EventType,
  eventSchemaVersions,
  upcast,
} from '@concord/domain';
import { type EventStore, type RecordedEvent, StreamNotFoundError } from '@concord/event-store';
import { LRUCache } from 'lru-cache';

/** What one command appended, as recorded: enough to answer a retry with the original result. */
export interface AppliedCommand {
  readonly streamVersion: number;
  readonly position: number;
  readonly events: readonly { id: string; type: string }[];
}

/**
 * The commands whose events are in a stream, by command id: one record per stream, shared by every state
 * of it, and only ever added to, since events never change. A state sees the commands up to its version.
 * (Copying it for every new state cost time in proportion to the stream's length, at every append.)
 */
export class AppliedCommands {
  readonly #byId = new Map<string, AppliedCommand>();

  /** The command's events, if the stream holds them at `version`. */
  at(commandId: string, version: number): AppliedCommand | undefined {
    const applied = this.#byId.get(commandId);
    return applied && applied.streamVersion <= version ? applied : undefined;
  }

  /** Records a command whose events are all in the stream (a command's events are appended together). */
  record(commandId: string, applied: AppliedCommand): void {
    this.#byId.set(commandId, applied);
  }
}

/** A stream folded with its aggregate's decider, at a version. */
export interface LoadedStream<State = unknown> {
  readonly aggregate: AggregateName;
  readonly streamId: string;
  readonly version: number;
  readonly state: State;
  /** The commands whose events are in the stream (`commands.at(id, version)`). */
  readonly commands: AppliedCommands;
}

/** The schema version to record for a new event of `type`. */
export function schemaVersionOf(type: string): number {
  return eventSchemaVersions[type as EventType] ?? 1;
}

/**
 * A stored event read as the current shape of its type: older versions are upcast (and validated). An
 * event without a recorded version is read as current, as the projections read it.
 */
export function toDomainEvent(event: RecordedEvent): DomainEvent {
  const version =
    typeof event.metadata.schemaVersion === 'number'
      ? event.metadata.schemaVersion
      : schemaVersionOf(event.type);
  return upcast(event.type, version, event.data);
}

/**
 * Loads aggregate states from their streams. A folded state is kept per stream with the version it was
 * folded to: events never change, so a state at version v stays true forever, and a later load only reads
 * the events after v. There is nothing to invalidate; the cache is bounded (least recently used go first).
 */
export class StreamStates {
  readonly #cache: LRUCache<string, LoadedStream>;
  readonly #store: EventStore;

  constructor(options: { store: EventStore; maxStreams?: number }) {
    this.#store = options.store;
    this.#cache = new LRUCache({ max: options.maxStreams ?? 20_000 });
  }

  /**
   * The stream's state now: a kept state is checked against the stream's version (one small read) and
   * only the events after it are read. `knownVersion` (from the store's `streamVersions`) saves the check.
   */
  async load<State = unknown>(
    aggregate: AggregateName,
    streamId: string,
    knownVersion?: number,
  ): Promise<LoadedStream<State>> {
    const cached = this.#cache.get(streamId);
    if (cached) {
      const current = knownVersion ?? (await this.#store.streamVersion(streamId));
      if (cached.version >= current) {
        this.#touch(streamId, cached);
        return cached as LoadedStream<State>;
      }
    }
    let events: RecordedEvent[] = [];
    try {
      events = await this.#store.readStream(streamId, { from: (cached?.version ?? 0) + 1 });
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    if (cached && events.length === 0) {
      this.#touch(streamId, cached);
      return cached as LoadedStream<State>;
    }
    const decider = deciderFor(aggregate);
    let state = cached?.state ?? decider.initialState();
    let version = cached?.version ?? 0;
    const commands = cached?.commands ?? new AppliedCommands();
    // Collected apart, then recorded whole: two loads of the same events may run at once.
    const found = new Map<string, AppliedCommand>();
    for (const event of events) {
      state = decider.evolve(state, toDomainEvent(event));
      version = event.streamPosition;
      const commandId = event.metadata.commandId;
      if (typeof commandId === 'string') {
        const applied = found.get(commandId);
        found.set(commandId, {
          streamVersion: event.streamPosition,
          position: event.globalPosition,
          events: [...(applied?.events ?? []), { id: event.id, type: event.type }],
        });
      }
    }
    for (const [commandId, applied] of found) commands.record(commandId, applied);
    const loaded: LoadedStream = { aggregate, streamId, version, state, commands };
    this.remember(loaded);
    return loaded as LoadedStream<State>;
  }

  /**
   * The state kept for a stream, unchecked: current unless another process (or a direct append) moved the
   * stream on since. For a decision whose append's expected version will catch that (ADR 0030).
   */
  kept<State = unknown>(streamId: string): LoadedStream<State> | undefined {
    return this.#cache.get(streamId) as LoadedStream<State> | undefined;
  }

  /** Every stream of an aggregate kind (`member-`, `workinggroup-` …), loaded. */
  async loadAll<State = unknown>(aggregate: AggregateName, prefix: string): Promise<LoadedStream<State>[]> {
    const versions = await this.#store.streamVersions(prefix);
    return Promise.all(
      [...versions].map(([streamId, version]) => this.load<State>(aggregate, streamId, version)),
    );
  }

  /** Keeps a state folded by the caller (after its own append), unless a newer one is already kept. */
  remember(loaded: LoadedStream): void {
    const cached = this.#cache.peek(loaded.streamId);
    if (cached && cached.version > loaded.version) return;
    this.#touch(loaded.streamId, loaded);
  }

  /** Folds events onto a state, as its aggregate's decider does. */
  fold(aggregate: AggregateName, state: unknown, events: readonly DomainEvent[]): unknown {
    const decider = deciderFor(aggregate);
    return events.reduce((folded, event) => decider.evolve(folded, event), state);
  }

  /** A loaded stream moved on by commands just appended (each with its events' folded state). */
  advance(
    loaded: LoadedStream,
    steps: readonly { commandId: string; state: unknown; applied: AppliedCommand }[],
  ): LoadedStream {
    for (const step of steps) loaded.commands.record(step.commandId, step.applied);
    const last = steps[steps.length - 1];
    return last ? { ...loaded, state: last.state, version: last.applied.streamVersion } : loaded;
  }

  #touch(streamId: string, loaded: LoadedStream): void {
    this.#cache.set(streamId, loaded);
  }
}
