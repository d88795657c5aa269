import {
  type Actor,
  type AggregateName,
  activeRepresentativeIds,
  aggregateOf,
  type BudgetState,
  budgetEffectOf,
  budgetFacts,
  type CharterState,
  type Decider,
  type DecisionContext,
  type DomainCommand,
  type DomainError,
  type DomainEvent,
  deciders,
  executionCommandsFor,
  executionFailureCommandFor,
  foundingCommandsFor,
  type GrantCallState,
  grantApplicationFacts,
  isDomainError,
  type MemberState,
  type ProposalPayload,
  type ProposalState,
  proposalPayloadSchema,
  streamIdFor,
  streamIdForCommand,
  type WorkingGroupState,
  workingGroupFacts,
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

type AnyDecider = Decider<DomainCommand, DomainEvent, unknown>;

/**
 * A tiny in-memory application layer for tests: it routes commands to streams, keeps each stream's
 * state by evolving it event by event, fills commands' `context` from other aggregates' states (as the
 * API must), and runs the process steps (founding, decision execution) exactly as documented.
 */
export class World {
  readonly log: StoredEvent[] = [];
  readonly streams = new Map<string, StoredEvent[]>();
  readonly states = new Map<string, unknown>();
  readonly refusals: { command: DomainCommand; error: DomainError }[] = [];
  private readonly aggregates = new Map<string, AggregateName>();
  private causationId: string | null = null;
  private commands = 0;

  constructor(public now: string) {}

  advance(hours: number): void {
    this.now = addHours(this.now, hours);
  }

  state<S>(streamId: string, aggregate: keyof typeof deciders): S {
    return (this.states.get(streamId) ?? deciders[aggregate].initialState()) as S;
  }

  /** The aggregate whose events a stream holds. */
  aggregateOf(streamId: string): AggregateName {
    return this.aggregates.get(streamId) as AggregateName;
  }

  /** Decides and appends one command, then runs the reactions to what it appended. */
  execute(command: DomainCommand): StoredEvent[] | DomainError {
    const streamId = streamIdForCommand(command);
    const decider = deciders[aggregateOf(command)] as unknown as AnyDecider;
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

  // The facts the application layer reads from aggregates' states to fill a command's context.

  charter(): CharterState {
    return this.state(streamIdFor.charter(), 'charter');
  }

  memberIds(): string[] {
    return [...this.states.entries()]
      .filter(([streamId]) => streamId.startsWith('member-'))
      .flatMap(([, state]) => {
        const member = state as MemberState;
        return member.status === 'member' ? [member.organizationId] : [];
      });
  }

  member(organizationId: string): MemberState {
    return this.state(streamIdFor.member(organizationId), 'member');
  }

  workingGroup(groupId: string): WorkingGroupState {
    return this.state(streamIdFor.workingGroup(groupId), 'workingGroup');
  }

  budget(budgetId: string): BudgetState {
    return this.state(streamIdFor.budget(budgetId), 'budget');
  }

  grantCall(grantCallId: string): GrantCallState {
    return this.state(streamIdFor.grantCall(grantCallId), 'grantCall');
  }

  proposal(proposalId: string): ProposalState {
    return this.state(streamIdFor.proposal(proposalId), 'proposal');
  }

  decisionContext(payload: ProposalPayload | null): DecisionContext {
    const charter = this.charter();
    if (charter.status !== 'founded') throw new Error('the coalition is not founded');
    const workingGroups = [...this.states.entries()]
      .filter(([streamId]) => streamId.startsWith('workinggroup-'))
      .flatMap(([, state]) => workingGroupFacts(state as WorkingGroupState) ?? []);
    const budgetId = payload ? (budgetEffectOf(payload)?.budgetId ?? null) : null;
    const grantApplication =
      payload?.kind === 'grantAward'
        ? grantApplicationFacts(this.grantCall(payload.grantCallId), payload.applicationId)
        : null;
    return {
      rules: charter.rules,
      coalitionMemberIds: this.memberIds(),
      representedMemberIds: this.memberIds().filter(
        (organizationId) => activeRepresentativeIds(this.member(organizationId)).length > 0,
      ),
      workingGroups,
      budget: budgetId ? budgetFacts(this.budget(budgetId)) : null,
      grantApplication,
    };
  }

  /** Fills a command's `context` as the API does, from current states only. */
  withContext(command: DomainCommand): DomainCommand {
    switch (command.type) {
      case 'OpenProposal': {
        const proposal = this.proposal(command.proposalId);
        return {
          ...command,
          context: this.decisionContext(proposal.status === 'none' ? null : proposal.payload),
        };
      }
      case 'AmendProposal':
        return { ...command, context: this.decisionContext(proposalPayloadSchema.parse(command.payload)) };
      case 'PublishGrantCall': {
        const budget = budgetFacts(this.budget(command.budgetId));
        const stewardGroupId = budget?.lines[command.lineId]?.stewardGroupId ?? null;
        return {
          ...command,
          context: {
            budget,
            stewardGroup: stewardGroupId ? workingGroupFacts(this.workingGroup(stewardGroupId)) : null,
          },
        };
      }
      case 'ReviewGrantApplication': {
        const call = this.grantCall(command.grantCallId);
        const stewardGroupId = call.status === 'published' ? call.stewardGroupId : null;
        return {
          ...command,
          context: {
            stewardGroup: stewardGroupId ? workingGroupFacts(this.workingGroup(stewardGroupId)) : null,
          },
        };
      }
      case 'ExecuteBudgetChange': {
        const groupId = command.decidedBy?.type === 'workingGroup' ? command.decidedBy.groupId : null;
        return {
          ...command,
          context: { decidingGroup: groupId ? workingGroupFacts(this.workingGroup(groupId)) : null },
        };
      }
      case 'SubmitGrantApplication':
        return {
          ...command,
          context: {
            applicantIsMember: this.member(command.applicantOrganizationId).status === 'member',
          },
        };
      case 'AnswerBudgetQuestion': {
        const budget = this.budget(command.budgetId);
        const lineId = budget.status === 'open' ? budget.questions[command.questionId]?.lineId : undefined;
        const stewardGroupId =
          (budget.status === 'open' && lineId && budget.lines[lineId]?.stewardGroupId) || null;
        return {
          ...command,
          context: {
            stewardGroup: stewardGroupId ? workingGroupFacts(this.workingGroup(stewardGroupId)) : null,
          },
        };
      }
      default:
        return command;
    }
  }
}
