import {
  type Actor,
  type AggregateName,
  aggregateOf,
  type CommandDraft,
  type DomainCommand,
  type DomainError,
  type DomainEvent,
  deciderFor,
  executionCommandsFor,
  executionFailureCommandFor,
  foundingCommandsFor,
  InMemoryStreamStates,
  isDomainError,
  type MemberState,
  streamIdForCommand,
  type WorkingGroupState,
  withContextNow,
} from '../../src/index.ts';
import { addHours } from '../../src/shared/time.ts';

/** An event as the store would hold it: with its id, stream and global position. */
export interface StoredEvent {
  readonly id: string;
  readonly streamId: string;
  readonly position: number;
  readonly event: DomainEvent;
  /** What the API records beside it: who acted, the command, and what caused it (a process step's trigger). */
  readonly metadata: { actor: Actor; commandId: string; commandType: string; causationId: string | null };
}

/**
 * A tiny in-memory application layer for tests: it routes commands to streams, keeps each stream's
 * state by evolving it event by event, fills commands' `context` from other aggregates' states (as the
 * API must), and runs the process steps (founding, decision execution) exactly as documented.
 */
export class World extends InMemoryStreamStates {
  readonly log: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  readonly refusals: { command: DomainCommand; error: DomainError }[] = [];
  private readonly aggregates = new Map<string, AggregateName>();
  private causationId: string | null = null;
  private commands = 0;

  constructor(public now: string) {
    super();
  }

  advance(hours: number): void {
    this.now = addHours(this.now, hours);
  }

  /** The aggregate whose events a stream holds. */
  aggregateOf(streamId: string): AggregateName {
    return this.aggregates.get(streamId) as AggregateName;
  }

  /** Decides and appends one command, then runs the reactions to what it appended. */
  execute(command: DomainCommand): StoredEvent[] | DomainError {
    const streamId = streamIdForCommand(command);
    const decider = deciderFor(aggregateOf(command));
    this.aggregates.set(streamId, aggregateOf(command));
    let state = this.states.get(streamId) ?? decider.initialState();
    const result = decider.decide(command, state);
    if (isDomainError(result)) {
      this.refusals.push({ command, error: result });
      return result;
    }
    const stream = this.streams.get(streamId) ?? [];
    const metadata = {
      actor: command.actor,
      commandId: `cmd-${++this.commands}`,
      commandType: command.type,
      causationId: this.causationId,
    };
    const appended = result.map((event) => {
      const position = this.log.length + 1;
      const stored = { id: `evt-${position}`, streamId, position, event, metadata };
      this.log.push(stored);
      stream.push(stored);
      state = decider.evolve(state, event);
      return stored;
    });
    this.streams.set(streamId, stream);
    this.states.set(streamId, state);
    for (const stored of appended) this.react(stored);
    return appended;
  }

  private react({ id, event }: StoredEvent): void {
    const outer = this.causationId;
    this.causationId = id;
    try {
      this.reactTo(id, event);
    } finally {
      this.causationId = outer;
    }
  }

  private reactTo(id: string, event: DomainEvent): void {
    if (event.type === 'CoalitionFounded') {
      for (const command of foundingCommandsFor({ ...event, id }, this.now)) this.execute(command);
    }
    if (event.type === 'ProposalDecided') {
      const decided = { ...event, id };
      for (const command of executionCommandsFor(decided, this.now)) {
        const result = this.execute(this.withContext(command));
        if (isDomainError(result) && result.code !== 'DECISION_ALREADY_EXECUTED') {
          this.execute(executionFailureCommandFor(decided, result, this.now));
          return;
        }
      }
    }
  }

  memberIds(): string[] {
    return [...this.states.entries()]
      .filter(([streamId]) => streamId.startsWith('member-'))
      .flatMap(([, state]) => {
        const member = state as MemberState;
        return member.status === 'member' ? [member.organizationId] : [];
      });
  }

  /** Every stream state of one aggregate kind, by stream prefix. */
  #statesOf<State>(prefix: string): State[] {
    return [...this.states.entries()].flatMap(([streamId, state]) =>
      streamId.startsWith(prefix) ? [state as State] : [],
    );
  }

  /** Fills a command's `context` with the domain's own rule (what the API runs), from current states. */
  withContext(command: DomainCommand): DomainCommand {
    const target = this.state(streamIdForCommand(command), aggregateOf(command));
    return withContextNow(command as CommandDraft, target, {
      charter: () => this.charter(),
      member: (organizationId) => this.member(organizationId),
      memberStates: () => this.#statesOf<MemberState>('member-'),
      workingGroup: (groupId) => this.workingGroup(groupId),
      workingGroupStates: () => this.#statesOf<WorkingGroupState>('workinggroup-'),
      budget: (budgetId) => this.budget(budgetId),
      grantCall: (grantCallId) => this.grantCall(grantCallId),
      partnership: (partnershipId) => this.partnership(partnershipId),
    });
  }
}
