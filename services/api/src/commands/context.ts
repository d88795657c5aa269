import {
  activeRepresentativeIds,
  type BudgetState,
  budgetEffectOf,
  budgetFacts,
  type CharterState,
  type DecisionContext,
  type DomainCommand,
  defaultDecisionRules,
  type GrantCallState,
  grantApplicationFacts,
  type MemberState,
  type ProposalPayload,
  type ProposalState,
  proposalPayloadSchema,
  streamIdFor,
  type WorkingGroupFacts,
  type WorkingGroupState,
  workingGroupFacts,
} from '@concord/domain';
import type { StreamStates } from './streams.ts';

/** A command as a route or a process step builds it: everything but the facts from other aggregates. */
export type CommandDraft = DomainCommand extends infer Command
  ? Command extends { context: unknown }
    ? Omit<Command, 'context'>
    : Command
  : never;

/**
 * The facts other aggregates hold, read from their streams at the moment of deciding. Never from the
 * request: a client cannot supply the facts its own command is judged by.
 */
export class Facts {
  constructor(private readonly streams: StreamStates) {}

  async charter(): Promise<CharterState> {
    return (await this.streams.load<CharterState>('charter', streamIdFor.charter())).state;
  }

  async member(organizationId: string): Promise<MemberState> {
    return (await this.streams.load<MemberState>('member', streamIdFor.member(organizationId))).state;
  }

  async memberIds(): Promise<string[]> {
    return (await this.members()).map((member) => member.organizationId);
  }

  /** Every admitted, not departed member organization's state. */
  async members(): Promise<Extract<MemberState, { status: 'member' | 'departed' }>[]> {
    const members = await this.streams.loadAll<MemberState>('member', 'member-');
    return members.flatMap(({ state }) => (state.status === 'member' ? [state] : []));
  }

  async workingGroups(): Promise<WorkingGroupFacts[]> {
    const groups = await this.streams.loadAll<WorkingGroupState>('workingGroup', 'workinggroup-');
    return groups.flatMap(({ state }) => {
      const facts = workingGroupFacts(state);
      return facts ? [facts] : [];
    });
  }

  async workingGroup(groupId: string): Promise<WorkingGroupFacts | null> {
    const loaded = await this.streams.load<WorkingGroupState>(
      'workingGroup',
      streamIdFor.workingGroup(groupId),
    );
    return workingGroupFacts(loaded.state);
  }

  async budget(budgetId: string): Promise<BudgetState> {
    return (await this.streams.load<BudgetState>('budget', streamIdFor.budget(budgetId))).state;
  }

  async grantCall(grantCallId: string): Promise<GrantCallState> {
    return (await this.streams.load<GrantCallState>('grantCall', streamIdFor.grantCall(grantCallId))).state;
  }

  async stewardGroup(stewardGroupId: string | null): Promise<WorkingGroupFacts | null> {
    return stewardGroupId === null ? null : this.workingGroup(stewardGroupId);
  }

  /** Everything opening (or re-checking) a proposal with `payload` needs. */
  async decisionContext(payload: ProposalPayload): Promise<DecisionContext> {
    const effect = budgetEffectOf(payload);
    const [charter, members, workingGroups, budget, grantApplication] = await Promise.all([
      this.charter(),
      this.members(),
      this.workingGroups(),
      effect ? this.budget(effect.budgetId).then(budgetFacts) : null,
      payload.kind === 'grantAward'
        ? this.grantCall(payload.grantCallId).then((call) =>
            grantApplicationFacts(call, payload.applicationId),
          )
        : null,
    ]);
    return {
      rules: charter.status === 'founded' ? charter.rules : defaultDecisionRules,
      coalitionMemberIds: members.map((member) => member.organizationId),
      representedMemberIds: members.flatMap((member) =>
        activeRepresentativeIds(member).length > 0 ? [member.organizationId] : [],
      ),
      workingGroups,
      budget,
      grantApplication,
    };
  }
}

const noContext: DecisionContext = {
  rules: defaultDecisionRules,
  coalitionMemberIds: [],
  representedMemberIds: [],
  workingGroups: [],
  budget: null,
  grantApplication: null,
};

/** The command with its `context` filled from the current facts (target state given, already loaded). */
export async function withContext(
  draft: CommandDraft,
  target: unknown,
  facts: Facts,
): Promise<DomainCommand> {
  switch (draft.type) {
    case 'OpenProposal': {
      const proposal = target as ProposalState;
      const context = proposal.status === 'none' ? noContext : await facts.decisionContext(proposal.payload);
      return { ...draft, context };
    }
    case 'AmendProposal': {
      const proposal = target as ProposalState;
      const opened = proposal.status !== 'none' && proposal.opened !== null;
      const payload = proposalPayloadSchema.parse(draft.payload);
      return { ...draft, context: opened ? await facts.decisionContext(payload) : null };
    }
    case 'AnswerBudgetQuestion': {
      const budget = target as BudgetState;
      const question = budget.status === 'open' ? budget.questions[draft.questionId] : undefined;
      const line = question && budget.status === 'open' ? budget.lines[question.lineId] : undefined;
      return { ...draft, context: { stewardGroup: await facts.stewardGroup(line?.stewardGroupId ?? null) } };
    }
    case 'PublishGrantCall': {
      const budget = budgetFacts(await facts.budget(draft.budgetId));
      const line = budget?.lines[draft.lineId];
      return {
        ...draft,
        context: { budget, stewardGroup: await facts.stewardGroup(line?.stewardGroupId ?? null) },
      };
    }
    case 'ExecuteBudgetChange': {
      // A working group's decision moves money only while the group still holds the mandate for it.
      const groupId = draft.decidedBy?.type === 'workingGroup' ? draft.decidedBy.groupId : null;
      return { ...draft, context: { decidingGroup: await facts.stewardGroup(groupId) } };
    }
    case 'SubmitGrantApplication': {
      const applicant = await facts.member(draft.applicantOrganizationId);
      return { ...draft, context: { applicantIsMember: applicant.status === 'member' } };
    }
    case 'ReviewGrantApplication': {
      const call = target as GrantCallState;
      const stewardGroupId = call.status === 'published' ? call.stewardGroupId : null;
      return { ...draft, context: { stewardGroup: await facts.stewardGroup(stewardGroupId) } };
    }
    default:
      return draft as DomainCommand;
  }
}
