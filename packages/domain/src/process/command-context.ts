/**
 * Which facts from other aggregates a command is judged by, and how they become its `context`: one rule,
 * used by the API (loading streams asynchronously) and by the test worlds (reading states in memory), so
 * tests run the production rule rather than a copy of it.
 *
 * The rule is a generator: it yields the facts it needs (several at once, loaded together) and receives
 * them, and returns the command with its context. `withContext` and `withContextNow` drive it over a
 * `FactLoader`. Facts are read at the moment of deciding, never taken from the request.
 * @module
 */
import type { BudgetState } from '../budget/decider.ts';
import { budgetFacts } from '../budget/facts.ts';
import type { CharterState } from '../charter/decider.ts';
import { defaultDecisionRules } from '../charter/rules.ts';
import type { DomainCommand } from '../commands.ts';
import type { GrantCallState } from '../grant/decider.ts';
import { grantApplicationFacts } from '../grant/facts.ts';
import { activeRepresentativeIds, type MemberState } from '../member/decider.ts';
import { type PartnershipState, partnershipFacts } from '../partnership/decider.ts';
import type { DecisionContext } from '../proposal/context.ts';
import type { ProposalState } from '../proposal/decider.ts';
import { budgetEffectOf, type ProposalPayload, proposalPayloadSchema } from '../proposal/payload.ts';
import type { WorkingGroupState } from '../working-group/decider.ts';
import { type WorkingGroupFacts, workingGroupFacts } from '../working-group/facts.ts';

/** A command as a route or a process step builds it: everything but the facts from other aggregates. */
export type CommandDraft = DomainCommand extends infer Command
  ? Command extends { context: unknown }
    ? Omit<Command, 'context'>
    : Command
  : never;

/** Where facts come from: states of other aggregates' streams, now. */
export interface FactLoader<Wrap extends 'sync' | 'async' = 'async'> {
  charter(): Loaded<CharterState, Wrap>;
  member(organizationId: string): Loaded<MemberState, Wrap>;
  /** The state of every member stream (admitted, departed or not yet). */
  memberStates(): Loaded<readonly MemberState[], Wrap>;
  workingGroup(groupId: string): Loaded<WorkingGroupState, Wrap>;
  /** The state of every working-group stream. */
  workingGroupStates(): Loaded<readonly WorkingGroupState[], Wrap>;
  budget(budgetId: string): Loaded<BudgetState, Wrap>;
  grantCall(grantCallId: string): Loaded<GrantCallState, Wrap>;
  partnership(partnershipId: string): Loaded<PartnershipState, Wrap>;
}

type Loaded<T, Wrap> = Wrap extends 'sync' ? T : Promise<T> | T;

/** One fact the rule asks for. */
export type FactRequest =
  | { readonly fact: 'charter' }
  | { readonly fact: 'member'; readonly organizationId: string }
  | { readonly fact: 'memberStates' }
  | { readonly fact: 'workingGroup'; readonly groupId: string }
  | { readonly fact: 'workingGroupStates' }
  | { readonly fact: 'budget'; readonly budgetId: string }
  | { readonly fact: 'grantCall'; readonly grantCallId: string }
  | { readonly fact: 'partnership'; readonly partnershipId: string }
  /** A place kept in a list of requests for a fact this command does not need: answered with null. */
  | { readonly fact: 'nothing' };

/** What the rule yields (facts to load together) and receives (them, in the same order). */
type Rule<T> = Generator<readonly FactRequest[], T, readonly unknown[]>;

function load(loader: FactLoader<'sync' | 'async'>, request: FactRequest): unknown {
  switch (request.fact) {
    case 'charter':
      return loader.charter();
    case 'member':
      return loader.member(request.organizationId);
    case 'memberStates':
      return loader.memberStates();
    case 'workingGroup':
      return loader.workingGroup(request.groupId);
    case 'workingGroupStates':
      return loader.workingGroupStates();
    case 'budget':
      return loader.budget(request.budgetId);
    case 'grantCall':
      return loader.grantCall(request.grantCallId);
    case 'partnership':
      return loader.partnership(request.partnershipId);
    case 'nothing':
      return null;
  }
}

/** Admitted members (not departed, not only proposed). */
function admitted(states: readonly MemberState[]) {
  return states.flatMap((state) => (state.status === 'member' ? [state] : []));
}

/** The facts of a working group that holds a mandate, or null (none asked, or dissolved). */
function* stewardGroup(groupId: string | null): Rule<WorkingGroupFacts | null> {
  if (groupId === null) return null;
  const [group] = yield [{ fact: 'workingGroup', groupId }];
  return workingGroupFacts(group as WorkingGroupState);
}

/** Everything opening (or re-checking) a proposal with `payload` needs. */
export function* decisionContextOf(payload: ProposalPayload): Rule<DecisionContext> {
  const effect = budgetEffectOf(payload);
  const [charter, memberStates, groupStates, budget, grantCall, partnership] = yield [
    { fact: 'charter' },
    { fact: 'memberStates' },
    { fact: 'workingGroupStates' },
    effect ? { fact: 'budget', budgetId: effect.budgetId } : { fact: 'nothing' },
    payload.kind === 'grantAward'
      ? { fact: 'grantCall', grantCallId: payload.grantCallId }
      : { fact: 'nothing' },
    payload.kind === 'partnership'
      ? { fact: 'partnership', partnershipId: payload.change.partnershipId }
      : { fact: 'nothing' },
  ];
  const founded = charter as CharterState;
  const members = admitted(memberStates as readonly MemberState[]);
  const call = grantCall as GrantCallState | null;
  return {
    rules: founded.status === 'founded' ? founded.rules : defaultDecisionRules,
    coalitionMemberIds: members.map((member) => member.organizationId),
    representedMemberIds: members.flatMap((member) =>
      activeRepresentativeIds(member).length > 0 ? [member.organizationId] : [],
    ),
    workingGroups: (groupStates as readonly WorkingGroupState[]).flatMap(
      (state) => workingGroupFacts(state) ?? [],
    ),
    budget: effect ? budgetFacts(budget as BudgetState) : null,
    grantApplication:
      payload.kind === 'grantAward' && call ? grantApplicationFacts(call, payload.applicationId) : null,
    partnership: partnership ? partnershipFacts(partnership as PartnershipState) : null,
  };
}

const noContext: DecisionContext = {
  rules: defaultDecisionRules,
  coalitionMemberIds: [],
  representedMemberIds: [],
  workingGroups: [],
  budget: null,
  grantApplication: null,
  partnership: null,
};

/** The rule: the command with its `context` from the facts it asks for (`target`: its own stream's state). */
export function* commandContext(draft: CommandDraft, target: unknown): Rule<DomainCommand> {
  switch (draft.type) {
    case 'OpenProposal': {
      const proposal = target as ProposalState;
      const context = proposal.status === 'none' ? noContext : yield* decisionContextOf(proposal.payload);
      return { ...draft, context };
    }
    case 'AmendProposal': {
      const proposal = target as ProposalState;
      const opened = proposal.status !== 'none' && proposal.opened !== null;
      const payload = proposalPayloadSchema.parse(draft.payload);
      return { ...draft, context: opened ? yield* decisionContextOf(payload) : null };
    }
    case 'AnswerBudgetQuestion': {
      const budget = target as BudgetState;
      const question = budget.status === 'open' ? budget.questions[draft.questionId] : undefined;
      const line = question && budget.status === 'open' ? budget.lines[question.lineId] : undefined;
      return { ...draft, context: { stewardGroup: yield* stewardGroup(line?.stewardGroupId ?? null) } };
    }
    case 'SubmitExpense': {
      const budget = target as BudgetState;
      const line = budget.status === 'open' ? budget.lines[draft.lineId] : undefined;
      return { ...draft, context: { stewardGroup: yield* stewardGroup(line?.stewardGroupId ?? null) } };
    }
    case 'ApproveExpense':
    case 'RejectExpense':
    case 'MarkExpensePaid': {
      // The group that approves is the one the expense named when submitted, even if the line moved since.
      const budget = target as BudgetState;
      const expense = budget.status === 'open' ? budget.expenses[draft.expenseId] : undefined;
      return { ...draft, context: { stewardGroup: yield* stewardGroup(expense?.approverGroupId ?? null) } };
    }
    case 'PublishGrantCall': {
      const [state] = yield [{ fact: 'budget', budgetId: draft.budgetId }];
      const budget = budgetFacts(state as BudgetState);
      const line = budget?.lines[draft.lineId];
      return {
        ...draft,
        context: { budget, stewardGroup: yield* stewardGroup(line?.stewardGroupId ?? null) },
      };
    }
    case 'ForgetPerson': {
      // The organizations whose streams name the person: their representatives may act for them.
      const [states] = yield [{ fact: 'memberStates' }];
      const organizationIds = admitted(states as readonly MemberState[]).flatMap((member) =>
        draft.personId in member.representatives ? [member.organizationId] : [],
      );
      return { ...draft, context: { organizationIds } };
    }
    case 'ExecuteBudgetChange': {
      // A working group's decision moves money only while the group still holds the mandate for it.
      const groupId = draft.decidedBy?.type === 'workingGroup' ? draft.decidedBy.groupId : null;
      return { ...draft, context: { decidingGroup: yield* stewardGroup(groupId) } };
    }
    case 'SubmitGrantApplication': {
      const [applicant] = yield [{ fact: 'member', organizationId: draft.applicantOrganizationId }];
      return { ...draft, context: { applicantIsMember: (applicant as MemberState).status === 'member' } };
    }
    case 'ReviewGrantApplication': {
      const call = target as GrantCallState;
      const stewardGroupId = call.status === 'published' ? call.stewardGroupId : null;
      return { ...draft, context: { stewardGroup: yield* stewardGroup(stewardGroupId) } };
    }
    default:
      return draft as DomainCommand;
  }
}

/** Runs a rule over a loader whose facts come asynchronously (the API's streams). */
export async function runRule<T>(rule: Rule<T>, loader: FactLoader<'async'>): Promise<T> {
  let step = rule.next([]);
  while (!step.done) {
    const facts = await Promise.all(step.value.map((request) => load(loader, request)));
    step = rule.next(facts);
  }
  return step.value;
}

/** Runs a rule over a loader that has every fact at hand (a test world's states in memory). */
export function runRuleNow<T>(rule: Rule<T>, loader: FactLoader<'sync'>): T {
  let step = rule.next([]);
  while (!step.done) step = rule.next(step.value.map((request) => load(loader, request)));
  return step.value;
}

/** The command with its `context` filled from the current facts, loaded asynchronously. */
export function withContext(
  draft: CommandDraft,
  target: unknown,
  loader: FactLoader<'async'>,
): Promise<DomainCommand> {
  return runRule(commandContext(draft, target), loader);
}

/** The same, from facts at hand. */
export function withContextNow(
  draft: CommandDraft,
  target: unknown,
  loader: FactLoader<'sync'>,
): DomainCommand {
  return runRuleNow(commandContext(draft, target), loader);
}
