import {
  aggregateOf,
  type CommandDraft,
  type DomainCommand,
  type DomainError,
  type DomainEvent,
  deciderFor,
  eventSchemaVersions,
  executionCommandsFor,
  executionFailureCommandFor,
  type FactLoader,
  foundingCommandsFor,
  InMemoryStreamStates,
  isDomainError,
  type MemberState,
  streamIdFor,
  streamIdForCommand,
  withContextNow,
} from '@concord/domain';
import type { EventMetadata, NewEvent } from '@concord/event-store';
import type { Random } from './random.ts';

/** One append the generator asks the store for: events of one stream, at the version it expects. */
export interface GeneratedAppend {
  /** Sequence number of this append, from 1. */
  seq: number;
  streamId: string;
  expectedVersion: number;
  events: NewEvent[];
  /**
   * Earlier appends (by `seq`) that must be stored before this one: the stream's previous append, the
   * append holding the event that caused this one, and the appends of the streams its decision read.
   * Appends with no such link may be stored concurrently without breaking causal order.
   */
  after: Set<number>;
}

/** An append may hold at most 999 events (ADR 0002). */
const MAX_EVENTS_PER_APPEND = 999;

/**
 * An in-memory application layer for generating history: it decides commands with the domain's deciders
 * against each stream's folded state, fills `context` from other aggregates' states as the API must, runs
 * the process steps (founding, decision execution) as documented, and queues what it decided as appends.
 * Consecutive decisions on one stream are merged into one append, so history can be stored in bulk.
 */
export class World extends InMemoryStreamStates {
  readonly versions = new Map<string, number>();
  readonly memberIds = new Set<string>();
  readonly groupIds: string[] = [];
  /** Appends not yet handed out; the last may still grow. */
  readonly pending: GeneratedAppend[] = [];
  /** The latest append of each stream, and the append holding each recent event (for causation). */
  readonly #lastAppend = new Map<string, number>();
  readonly #appendOfEvent = new Map<string, number>();
  /** Streams whose state the next decision's context was built from. */
  readonly #reads = new Set<string>();
  readonly #pendingBySeq = new Map<number, GeneratedAppend>();
  #seq = 0;
  pendingEvents = 0;
  eventCount = 0;
  /** When set, stances on a first revision in a first round are stored in their pilot-era shape (v1). */
  legacyStanceRate = 0;

  constructor(
    readonly random: Random,
    public now: string,
  ) {
    super();
  }

  advance(hours: number): void {
    this.now = new Date(Date.parse(this.now) + hours * 3_600_000).toISOString();
  }

  /** Forgets a stream's state (a finished proposal), to keep memory bounded; its version is kept. */
  forget(streamId: string): void {
    this.states.delete(streamId);
  }

  /**
   * Decides `command` and queues its events; then runs the reactions. Returns the refusal, if any.
   * `cause` links a reaction to the event that triggered it (correlation and causation in metadata).
   */
  execute(
    command: DomainCommand,
    cause?: { eventId: string; correlationId: string },
  ): DomainEvent[] | DomainError {
    const streamId = streamIdForCommand(command);
    const decider = deciderFor(aggregateOf(command));
    let state = this.states.get(streamId) ?? decider.initialState();
    const result = decider.decide(command, state);
    if (isDomainError(result)) return result;
    const commandId = this.random.uuid();
    const correlationId = cause?.correlationId ?? commandId;
    const after = new Set<number>();
    for (const read of this.#reads) {
      const seq = this.#lastAppend.get(read);
      if (seq !== undefined) after.add(seq);
    }
    this.#reads.clear();
    const causeSeq = cause && this.#appendOfEvent.get(cause.eventId);
    if (causeSeq !== undefined) after.add(causeSeq);
    const { actor } = command;
    const stored: { id: string; event: DomainEvent; correlationId: string }[] = [];
    for (const event of result) {
      state = decider.evolve(state, event);
      const id = this.random.uuid();
      const metadata: EventMetadata = {
        commandId,
        correlationId,
        causationId: cause?.eventId ?? commandId,
        actor: { personId: actor.personId, organizationId: actor.organizationId, role: actor.role },
        schemaVersion: eventSchemaVersions[event.type],
      };
      let { type, data } = event as { type: string; data: unknown };
      if (event.type === 'StanceTaken' && event.data.revision === 1 && event.data.round === 1) {
        if (this.legacyStanceRate > 0 && this.random.chance(this.legacyStanceRate)) {
          data = pilotStance(event.data);
          metadata.schemaVersion = 1;
        }
      }
      this.queue(streamId, { id, type, data, metadata }, after);
      stored.push({ id, event, correlationId });
    }
    this.states.set(streamId, state);
    if (streamId.startsWith('member-')) {
      const member = state as MemberState;
      if (member.status === 'member') this.memberIds.add(member.organizationId);
      else if (member.status === 'departed') this.memberIds.delete(member.organizationId);
    }
    for (const { id, event, correlationId: correlation } of stored) this.react(id, event, correlation);
    return result;
  }

  /** Like `execute`, but a refusal is a bug of the generator. */
  must(command: DomainCommand): DomainEvent[] {
    const result = this.execute(command);
    if (isDomainError(result)) {
      throw new Error(`generator: ${command.type} refused: ${result.code} ${JSON.stringify(result.details)}`);
    }
    return result;
  }

  #queueVersion(streamId: string): number {
    return this.versions.get(streamId) ?? 0;
  }

  /**
   * Queues an event: into the stream's latest append while it is still pending and everything the event
   * depends on is stored before it, else into a new append. So a proposal's stances over several days of
   * simulated time become one append, without ever placing an event before what it follows from.
   */
  queue(streamId: string, event: NewEvent, after: ReadonlySet<number>): void {
    const previous = this.#lastAppend.get(streamId);
    let target = previous === undefined ? undefined : this.#pendingBySeq.get(previous);
    if (
      target &&
      (target.events.length >= MAX_EVENTS_PER_APPEND || [...after].some((seq) => seq > target!.seq))
    ) {
      target = undefined;
    }
    if (!target) {
      target = {
        seq: ++this.#seq,
        streamId,
        expectedVersion: this.#queueVersion(streamId),
        events: [],
        after: new Set(previous === undefined ? [] : [previous]),
      };
      this.pending.push(target);
      this.#pendingBySeq.set(target.seq, target);
      this.#lastAppend.set(streamId, target.seq);
    }
    target.events.push(event);
    for (const seq of after) if (seq !== target.seq) target.after.add(seq);
    this.#appendOfEvent.set(event.id, target.seq);
    this.versions.set(streamId, this.#queueVersion(streamId) + 1);
    this.eventCount++;
    this.pendingEvents++;
  }

  /** Records that the next decision depends on the state of `streamId`. */
  read(streamId: string): void {
    this.#reads.add(streamId);
  }

  private react(eventId: string, event: DomainEvent, correlationId: string): void {
    const cause = { eventId, correlationId };
    if (event.type === 'CoalitionFounded') {
      for (const command of foundingCommandsFor({ ...event, id: eventId }, this.now))
        this.execute(command, cause);
    }
    if (event.type === 'ProposalDecided') {
      const decided = { ...event, id: eventId };
      // The run's steps are stored in their order, as the process step writes them (one after the other):
      // a history cut anywhere never holds a later step, such as the proposal's execution record, without
      // the effects before it (the effect check would rightly call those missing).
      let previous: string | null = null;
      for (const command of executionCommandsFor(decided, this.now)) {
        if (previous) this.read(previous);
        // Each step carries the facts the API fills in (a working group's mandate, for money).
        const filled = this.withContext(command);
        const result = this.execute(filled, cause);
        previous = streamIdForCommand(filled);
        if (isDomainError(result) && result.code !== 'DECISION_ALREADY_EXECUTED') {
          this.read(previous);
          this.execute(executionFailureCommandFor(decided, result, this.now), cause);
          return;
        }
      }
    }
  }

  /** The facts commands are judged by, read as the API reads them, each stream read noted. */
  readonly #facts: FactLoader<'sync'> = {
    charter: () => this.#noted(streamIdFor.charter(), () => this.charter()),
    member: (organizationId) =>
      this.#noted(streamIdFor.member(organizationId), () => this.member(organizationId)),
    memberStates: () => [...this.memberIds].map((organizationId) => this.#facts.member(organizationId)),
    workingGroup: (groupId) =>
      this.#noted(streamIdFor.workingGroup(groupId), () => this.workingGroup(groupId)),
    workingGroupStates: () => this.groupIds.map((groupId) => this.#facts.workingGroup(groupId)),
    budget: (budgetId) => this.#noted(streamIdFor.budget(budgetId), () => this.budget(budgetId)),
    grantCall: (grantCallId) =>
      this.#noted(streamIdFor.grantCall(grantCallId), () => this.grantCall(grantCallId)),
    partnership: (partnershipId) =>
      this.#noted(streamIdFor.partnership(partnershipId), () => this.partnership(partnershipId)),
  };

  #noted<T>(streamId: string, state: () => T): T {
    this.read(streamId);
    return state();
  }

  /** Fills a command's `context` with the domain's own rule (what the API runs), from current states. */
  withContext(command: CommandDraft | DomainCommand): DomainCommand {
    const draft = command as CommandDraft;
    const target = this.state(
      streamIdForCommand(draft as DomainCommand),
      aggregateOf(draft as DomainCommand),
    );
    return withContextNow(draft, target, this.#facts);
  }

  /**
   * Hands out the oldest queued appends once more than `hold` events wait (the newest may still grow),
   * or all of them when `hold` is 0.
   */
  *drain(hold: number): Generator<GeneratedAppend> {
    if (this.pendingEvents <= hold) return;
    const keep = hold / 2;
    while (this.pending.length > 0 && (hold === 0 || this.pendingEvents > keep)) {
      const append = this.pending.shift()!;
      this.#pendingBySeq.delete(append.seq);
      this.pendingEvents -= append.events.length;
      for (const event of append.events) this.#appendOfEvent.delete(event.id);
      yield append;
    }
  }
}

const positionOfStance = {
  consent: 'agree',
  concerns: 'concern',
  standAside: 'standAside',
  block: 'object',
} as const;

/** A StanceTaken in its first (pilot) shape, which readers upcast (see the domain's upcasting.ts). */
function pilotStance(data: Extract<DomainEvent, { type: 'StanceTaken' }>['data']): unknown {
  const { stance, reason, revision: _revision, round: _round, ...rest } = data;
  return reason === null
    ? { ...rest, position: positionOfStance[stance] }
    : { ...rest, position: positionOfStance[stance], reason };
}
