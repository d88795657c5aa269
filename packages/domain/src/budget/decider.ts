import { type Decider, type Decision, validating } from '../decider.ts';
import { type DomainError, domainError, isDomainError } from '../errors.ts';
import { routeBudgetChange } from '../proposal/routing.ts';
import { type Execution, refuseRepeat, withExecuted } from '../shared/execution.ts';
import { MONEY_CEILING } from '../shared/primitives.ts';
import { checkSteward } from '../working-group/facts.ts';
import { applyBudgetChange, applyBudgetChanges, type BudgetBook } from './apply.ts';
import { type BudgetChange, type BudgetOpening, moneyMoved } from './changes.ts';
import { type BudgetCommand, budgetCommandSchema } from './commands.ts';
import type { BudgetEvent, BudgetLineEvent } from './events.ts';
import { decideExpense, type Expense, evolveExpense, isExpenseEvent } from './expenses.ts';
import { budgetFacts } from './facts.ts';

/** A question a member asked about a line, and the stewarding group's answer once given. */
export interface BudgetQuestion {
  readonly questionId: string;
  readonly lineId: string;
  readonly text: string;
  readonly askedBy: { readonly organizationId: string; readonly personId: string };
  readonly askedAt: string;
  readonly answer: {
    readonly text: string;
    readonly organizationId: string;
    readonly personId: string;
    readonly at: string;
  } | null;
}

/** A budget (stream `budget-<budgetId>`): its frame, its lines and the questions raised on them. */
export type BudgetState =
  | { readonly status: 'none' }
  | (BudgetBook &
      BudgetOpening & {
        readonly status: 'open';
        readonly budgetId: string;
        readonly questions: Readonly<Record<string, BudgetQuestion>>;
        /** Money each working group's decisions moved per line (group → line → amount, up to the ceiling). */
        readonly groupMoves: Readonly<Record<string, Readonly<Record<string, number>>>>;
        readonly executedProposalIds: readonly string[];
        /** Expenses submitted against its lines, by id (`expenses.ts`). */
        readonly expenses: Readonly<Record<string, Expense>>;
      });

const eventTypeOf = {
  createLine: 'BudgetLineCreated',
  allocate: 'BudgetLineAllocationChanged',
  spend: 'BudgetLineSpent',
  commitGrant: 'GrantFundsCommitted',
  disburseGrant: 'GrantFundsDisbursed',
  reassignLine: 'BudgetLineStewardshipChanged',
} as const satisfies Record<BudgetChange['op'], BudgetLineEvent['type']>;

const opOf = Object.fromEntries(Object.entries(eventTypeOf).map(([op, type]) => [type, op])) as Record<
  BudgetLineEvent['type'],
  BudgetChange['op']
>;

function lineEvent(
  change: BudgetChange,
  budgetId: string,
  execution: Execution,
  decidedByGroupId: string | null,
  at: string,
): BudgetLineEvent {
  const { op, ...fields } = change;
  return {
    type: eventTypeOf[op],
    data: { ...fields, budgetId, execution, decidedByGroupId, at },
  } as BudgetLineEvent;
}

type OpenBudget = Extract<BudgetState, { status: 'open' }>;

/** One more move by a group on a line, counted up to just past the ceiling (every limit lies below it). */
function withGroupMove(
  state: OpenBudget,
  groupId: string,
  lineId: string,
  amount: number,
): OpenBudget['groupMoves'] {
  if (amount === 0) return state.groupMoves;
  const group = state.groupMoves[groupId] ?? {};
  const moved = Math.min((group[lineId] ?? 0) + amount, MONEY_CEILING + 1);
  return { ...state.groupMoves, [groupId]: { ...group, [lineId]: moved } };
}

/**
 * Whether the working group that adopted a budget decision still holds the mandate for it now: the
 * decision must route to that group against the budget as it is (lines it stewards, in its mandate,
 * within the per-decision limit and, with what its earlier decisions moved, the cumulative one).
 * Decisions opened side by side, each within the limits alone, cannot together pass them.
 */
function checkGroupMandate(
  command: Extract<BudgetCommand, { type: 'ExecuteBudgetChange' }>,
  state: BudgetState,
): DomainError | null {
  const { decidedBy, context, budgetId, opening, changes } = command;
  if (decidedBy.type !== 'workingGroup') return null;
  const group = context.decidingGroup;
  if (group?.groupId !== decidedBy.groupId) {
    return domainError('CONTEXT_MISMATCH', { groupId: decidedBy.groupId });
  }
  const routing = routeBudgetChange(
    { budgetId, opening, changes },
    { budget: budgetFacts(state), workingGroups: [group] },
  );
  return routing.decidingBody.type === 'workingGroup'
    ? null
    : domainError('OUTSIDE_MANDATE', {
        groupId: group.groupId,
        reason: routing.reason,
        lineId: routing.lineId,
      });
}

/**
 * The changes as the events record them: a reassignment that keeps its partners names them, so the
 * event says who the line's partners are from then on.
 */
function recorded(changes: readonly BudgetChange[], before: BudgetBook): BudgetChange[] {
  const partners = new Map<string, readonly string[]>();
  return changes.map((change) => {
    if (change.op === 'createLine') partners.set(change.lineId, change.partnerOrganizationIds);
    if (change.op !== 'reassignLine') return change;
    const resolved =
      change.partnerOrganizationIds ??
      partners.get(change.lineId) ??
      before.lines[change.lineId]?.partnerOrganizationIds ??
      [];
    partners.set(change.lineId, resolved);
    return { ...change, partnerOrganizationIds: [...resolved] };
  });
}

function changeOf(event: BudgetLineEvent): BudgetChange {
  const {
    budgetId: _budgetId,
    execution: _execution,
    decidedByGroupId: _group,
    at: _at,
    ...fields
  } = event.data;
  return { op: opOf[event.type], ...fields } as BudgetChange;
}

function decide(command: BudgetCommand, state: BudgetState): Decision<BudgetEvent> {
  const { actor, now: at } = command;
  switch (command.type) {
    case 'ExecuteBudgetChange': {
      const { budgetId, opening, changes, execution } = command;
      const repeated = state.status === 'open' && refuseRepeat(state.executedProposalIds, execution);
      if (repeated) return repeated;
      if (state.status === 'open' && opening) return domainError('BUDGET_ALREADY_OPEN', { budgetId });
      if (state.status === 'none' && !opening) return domainError('BUDGET_NOT_FOUND', { budgetId });
      if (!opening && changes.length === 0) return domainError('EMPTY_CHANGE');
      const outsideMandate = checkGroupMandate(command, state);
      if (outsideMandate) return outsideMandate;
      const decidedByGroupId = command.decidedBy.type === 'workingGroup' ? command.decidedBy.groupId : null;
      const book: BudgetBook = state.status === 'open' ? state : { lines: {}, grantCommitments: {} };
      const applied = applyBudgetChanges(book, changes);
      if (isDomainError(applied)) return applied;
      const events: BudgetEvent[] = opening
        ? [{ type: 'BudgetOpened', data: { ...opening, budgetId, execution, at } }]
        : [];
      return [
        ...events,
        ...recorded(changes, book).map((change) =>
          lineEvent(change, budgetId, execution, decidedByGroupId, at),
        ),
      ];
    }
    case 'RaiseBudgetQuestion': {
      if (state.status !== 'open') return domainError('BUDGET_NOT_FOUND', { budgetId: command.budgetId });
      const { budgetId, questionId, lineId, text } = command;
      if (!(lineId in state.lines)) return domainError('BUDGET_LINE_NOT_FOUND', { lineId });
      if (questionId in state.questions) return domainError('QUESTION_EXISTS', { questionId });
      return [
        {
          type: 'BudgetQuestionRaised',
          data: {
            budgetId,
            questionId,
            lineId,
            text,
            organizationId: actor.organizationId as string,
            personId: actor.personId,
            at,
          },
        },
      ];
    }
    case 'AnswerBudgetQuestion': {
      if (state.status !== 'open') return domainError('BUDGET_NOT_FOUND', { budgetId: command.budgetId });
      const { budgetId, questionId, answer, context } = command;
      const question = state.questions[questionId];
      if (!question) return domainError('QUESTION_NOT_FOUND', { questionId });
      if (question.answer) return domainError('QUESTION_ALREADY_ANSWERED', { questionId });
      const organizationId = actor.organizationId as string;
      const stewardGroupId = state.lines[question.lineId]?.stewardGroupId ?? null;
      const notSteward = checkSteward(organizationId, stewardGroupId, context.stewardGroup);
      if (notSteward) return notSteward;
      return [
        {
          type: 'BudgetQuestionAnswered',
          data: { budgetId, questionId, answer, organizationId, personId: actor.personId, at },
        },
      ];
    }
    case 'SubmitExpense':
    case 'ApproveExpense':
    case 'RejectExpense':
    case 'WithdrawExpense':
    case 'MarkExpensePaid':
      if (state.status !== 'open') return domainError('BUDGET_NOT_FOUND', { budgetId: command.budgetId });
      return decideExpense(command, state);
  }
}

function evolve(state: BudgetState, event: BudgetEvent): BudgetState {
  if (event.type === 'BudgetOpened') {
    const { budgetId, name, fiscalPeriod, currency, execution } = event.data;
    return {
      status: 'open',
      budgetId,
      name,
      fiscalPeriod,
      currency,
      lines: {},
      grantCommitments: {},
      questions: {},
      groupMoves: {},
      executedProposalIds: [execution.proposalId],
      expenses: {},
    };
  }
  if (state.status !== 'open') return state;
  if (isExpenseEvent(event)) return evolveExpense(state, event);
  switch (event.type) {
    case 'BudgetQuestionRaised': {
      const { questionId, lineId, text, organizationId, personId, at } = event.data;
      const question: BudgetQuestion = {
        questionId,
        lineId,
        text,
        askedBy: { organizationId, personId },
        askedAt: at,
        answer: null,
      };
      return { ...state, questions: { ...state.questions, [questionId]: question } };
    }
    case 'BudgetQuestionAnswered': {
      const { questionId, answer, organizationId, personId, at } = event.data;
      const question = state.questions[questionId];
      if (!question) return state;
      return {
        ...state,
        questions: {
          ...state.questions,
          [questionId]: { ...question, answer: { text: answer, organizationId, personId, at } },
        },
      };
    }
    default: {
      // Events were checked when decided; replay applies them through the same arithmetic.
      const change = changeOf(event);
      const applied = applyBudgetChange(state, change);
      if (isDomainError(applied)) return state;
      const { decidedByGroupId } = event.data;
      return {
        ...state,
        ...applied,
        groupMoves:
          decidedByGroupId === null
            ? state.groupMoves
            : withGroupMove(state, decidedByGroupId, change.lineId, moneyMoved(change)),
        executedProposalIds: withExecuted(state.executedProposalIds, event.data.execution.proposalId),
      };
    }
  }
}

/**
 * The budget decider. Line amounts move only through `ExecuteBudgetChange`, which only a process step
 * executing an adopted decision (actor role `system`) may issue, once per decision.
 */
export const budgetDecider: Decider<BudgetCommand, BudgetEvent, BudgetState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide: validating(budgetCommandSchema, decide),
};
