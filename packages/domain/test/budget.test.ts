import { describe, expect, it } from 'vitest';
import {
  type BudgetChange,
  type BudgetCommand,
  type BudgetEvent,
  budgetDecider,
  budgetFacts,
  fold,
} from '../src/index.ts';
import * as coalition from './support/coalition.ts';
import { at, auditor, exec, facilitator, rep, system } from './support/fixtures.ts';
import { specification } from './support/spec.ts';

const spec = specification(budgetDecider);
const budgetId = 'b1';
const opening = {
  name: '2025 budget',
  fiscalPeriod: { start: '2025-01-01', end: '2025-12-31' },
  currency: 'USD',
};
const grantsLine = coalition.createLine(coalition.grantsLine);
const translationLine = coalition.createLine(coalition.translationLine);

function executed(change: BudgetChange, proposalId: string, hours: number): BudgetEvent {
  const { op: _op, ...fields } = change;
  const type = {
    createLine: 'BudgetLineCreated',
    allocate: 'BudgetLineAllocationChanged',
    spend: 'BudgetLineSpent',
    commitGrant: 'GrantFundsCommitted',
    disburseGrant: 'GrantFundsDisbursed',
    reassignLine: 'BudgetLineStewardshipChanged',
  }[change.op];
  return {
    type,
    data: { ...fields, budgetId, execution: exec(proposalId), decidedByGroupId: null, at: at(hours) },
  } as BudgetEvent;
}

const opened: BudgetEvent[] = [
  { type: 'BudgetOpened', data: { ...opening, budgetId, execution: exec('opening'), at: at(0) } },
  executed(grantsLine, 'opening', 0),
  executed(translationLine, 'opening', 0),
];
const commitment = {
  op: 'commitGrant',
  lineId: 'grants',
  grantCallId: 'call-1',
  applicationId: 'app-1',
  recipientOrganizationId: 'rlo-9',
  amount: 2_000_000,
} as const;
const committed = [...opened, executed(commitment, 'award', 1)];

const execute = (
  changes: BudgetChange[],
  proposalId = 'p1',
  overrides: Partial<BudgetCommand> = {},
): BudgetCommand =>
  ({
    type: 'ExecuteBudgetChange',
    actor: system,
    now: at(2),
    budgetId,
    opening: null,
    changes,
    execution: exec(proposalId),
    ...overrides,
  }) as BudgetCommand;

const lineOf = (events: BudgetEvent[], lineId: string) => {
  const state = fold(budgetDecider, events);
  return state.status === 'open' ? state.lines[lineId] : undefined;
};

describe('ExecuteBudgetChange: an opening budget', () => {
  it('opens the budget and creates its lines', () => {
    spec
      .given([])
      .when(execute([grantsLine, translationLine], 'opening', { opening, now: at(0) }))
      .then(opened);
    expect(lineOf(opened, 'grants')).toEqual({ ...grantsLine, op: undefined, committed: 0, spent: 0 });
  });
  it('refuses a second opening and changes to a budget never opened', () => {
    spec
      .given(opened)
      .when(execute([], 'again', { opening }))
      .thenRejects('BUDGET_ALREADY_OPEN');
    spec
      .given([])
      .when(execute([grantsLine]))
      .thenRejects('BUDGET_NOT_FOUND');
  });
  it('refuses a fiscal period that ends before it starts, and a currency that is not a code', () => {
    const backwards = { ...opening, fiscalPeriod: { start: '2025-12-31', end: '2025-01-01' } };
    spec
      .given([])
      .when(execute([], 'opening', { opening: backwards }))
      .thenRejects('INVALID_COMMAND');
    spec
      .given([])
      .when(execute([], 'opening', { opening: { ...opening, currency: 'dollars' } }))
      .thenRejects('INVALID_COMMAND');
  });
});

describe('ExecuteBudgetChange: moving money', () => {
  it('raises and lowers allocations', () => {
    const changes: BudgetChange[] = [
      { op: 'allocate', lineId: 'grants', delta: -100_000 },
      { op: 'allocate', lineId: 'translation', delta: 100_000 },
    ];
    const events = spec
      .given(opened)
      .when(execute(changes))
      .then(changes.map((change) => executed(change, 'p1', 2)));
    expect(lineOf([...opened, ...events], 'translation')?.allocated).toBe(600_000);
    expect(lineOf([...opened, ...events], 'grants')?.allocated).toBe(9_900_000);
  });
  it('records an expense against the uncommitted money of a line', () => {
    const spend = {
      op: 'spend',
      lineId: 'translation',
      amount: 500_000,
      description: 'Interpreters',
      payeeOrganizationId: 'o3',
    } as const;
    spec
      .given(opened)
      .when(execute([spend]))
      .then([executed(spend, 'p1', 2)]);
    expect(lineOf([...opened, executed(spend, 'p1', 2)], 'translation')).toMatchObject({ spent: 500_000 });
  });
  it('commits money to an awarded grant, then pays it out', () => {
    spec
      .given(opened)
      .when(execute([commitment], 'award'))
      .then([executed(commitment, 'award', 2)]);
    const payment = {
      op: 'disburseGrant',
      lineId: 'grants',
      grantCallId: 'call-1',
      applicationId: 'app-1',
      amount: 500_000,
    } as const;
    spec
      .given(committed)
      .when(execute([payment]))
      .then([executed(payment, 'p1', 2)]);
    expect(lineOf([...committed, executed(payment, 'p1', 2)], 'grants')).toMatchObject({
      allocated: 10_000_000,
      committed: 1_500_000,
      spent: 500_000,
    });
  });
  it('refuses to spend or commit more than a line has free', () => {
    spec
      .given(opened)
      .when(
        execute([
          {
            op: 'spend',
            lineId: 'translation',
            amount: 500_001,
            description: 'Too much',
            payeeOrganizationId: null,
          },
        ]),
      )
      .thenRejects('INSUFFICIENT_FUNDS', { available: 500_000 });
    spec
      .given(committed)
      .when(execute([{ ...commitment, applicationId: 'app-2', amount: 8_000_001 }]))
      .thenRejects('INSUFFICIENT_FUNDS', { available: 8_000_000 });
  });
  it('refuses to lower a line below what is committed or spent', () => {
    spec
      .given(committed)
      .when(execute([{ op: 'allocate', lineId: 'grants', delta: -8_000_001 }]))
      .thenRejects('ALLOCATION_BELOW_USE', { inUse: 2_000_000 });
  });
  it('refuses to commit twice for one application', () => {
    spec
      .given(committed)
      .when(execute([{ ...commitment, amount: 1 }]))
      .thenRejects('GRANT_ALREADY_COMMITTED');
  });
  it('refuses to pay a grant that has no commitment, or more than its commitment', () => {
    const payment = {
      op: 'disburseGrant',
      lineId: 'grants',
      grantCallId: 'call-1',
      applicationId: 'app-1',
      amount: 2_000_001,
    } as const;
    spec
      .given(opened)
      .when(execute([payment]))
      .thenRejects('GRANT_NOT_COMMITTED');
    spec
      .given(committed)
      .when(execute([{ ...payment, grantCallId: 'call-2' }]))
      .thenRejects('GRANT_NOT_COMMITTED');
    spec
      .given(committed)
      .when(execute([payment]))
      .thenRejects('DISBURSEMENT_EXCEEDS_COMMITMENT', { outstanding: 2_000_000 });
  });
  it('refuses a line that does not exist, or exists already', () => {
    spec
      .given(opened)
      .when(execute([{ op: 'allocate', lineId: 'travel', delta: 1 }]))
      .thenRejects('BUDGET_LINE_NOT_FOUND');
    spec
      .given(opened)
      .when(execute([grantsLine]))
      .thenRejects('BUDGET_LINE_EXISTS');
  });
  it('applies all changes of a decision or none', () => {
    spec
      .given(opened)
      .when(
        execute([
          { op: 'allocate', lineId: 'translation', delta: 100_000 },
          { op: 'allocate', lineId: 'travel', delta: 1 },
        ]),
      )
      .thenRejects('BUDGET_LINE_NOT_FOUND', { lineId: 'travel' });
  });
  it('refuses a change that changes nothing, a zero change and a fractional amount', () => {
    spec.given(opened).when(execute([])).thenRejects('EMPTY_CHANGE');
    spec
      .given(opened)
      .when(execute([{ op: 'allocate', lineId: 'grants', delta: 0 }]))
      .thenRejects('INVALID_COMMAND');
    spec
      .given(opened)
      .when(execute([{ op: 'allocate', lineId: 'grants', delta: 10.5 }]))
      .thenRejects('INVALID_COMMAND');
  });
  it('applies a decision only once', () => {
    spec
      .given(committed)
      .when(execute([{ ...commitment, applicationId: 'app-2' }], 'award'))
      .thenRejects('DECISION_ALREADY_EXECUTED');
  });
  it('is refused to everyone but the process step executing a decision', () => {
    const change: BudgetChange[] = [{ op: 'allocate', lineId: 'grants', delta: 1 }];
    spec
      .given(opened)
      .when(execute(change, 'p1', { actor: facilitator }))
      .thenRejects('DECISION_EXECUTION_ONLY');
    spec
      .given(opened)
      .when(execute(change, 'p1', { actor: rep('o1') }))
      .thenRejects('DECISION_EXECUTION_ONLY');
    spec
      .given(opened)
      .when(execute(change, 'p1', { actor: auditor }))
      .thenRejects('AUDITOR_READ_ONLY');
  });
});

const stewards = coalition.grantsGroup;
/** o4's question on the grants line, as asked and as recorded. */
const question = { budgetId, questionId: 'q1', lineId: 'grants', text: 'Why so much?' };
const raised: BudgetEvent = {
  type: 'BudgetQuestionRaised',
  data: { ...question, organizationId: 'o4', personId: 'o4-person', at: at(3) },
};

describe('RaiseBudgetQuestion', () => {
  const raise: BudgetCommand = { type: 'RaiseBudgetQuestion', actor: rep('o4'), now: at(3), ...question };
  it('lets any member ask about a line; the question stays open', () => {
    spec.given(opened).when(raise).then([raised]);
    const state = fold(budgetDecider, [...opened, raised]);
    expect(state.status === 'open' && state.questions.q1?.answer).toBeNull();
  });
  it('refuses an unknown budget, line or a duplicate question', () => {
    spec.given([]).when(raise).thenRejects('BUDGET_NOT_FOUND');
    spec
      .given(opened)
      .when({ ...raise, lineId: 'travel' })
      .thenRejects('BUDGET_LINE_NOT_FOUND');
    spec
      .given([...opened, raised])
      .when(raise)
      .thenRejects('QUESTION_EXISTS');
  });
  it('is for member organizations, not facilitators', () => {
    spec
      .given(opened)
      .when({ ...raise, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
  });
});

describe('AnswerBudgetQuestion', () => {
  // The stewards' answer, as given and as recorded.
  const reply = { budgetId, questionId: 'q1', answer: 'Two grant rounds this year.' };
  const answer: BudgetCommand = {
    type: 'AnswerBudgetQuestion',
    actor: rep('o1'),
    now: at(4),
    ...reply,
    context: { stewardGroup: stewards },
  };
  const answered: BudgetEvent = {
    type: 'BudgetQuestionAnswered',
    data: { ...reply, organizationId: 'o1', personId: 'o1-person', at: at(4) },
  };
  it('lets the stewarding group answer', () => {
    spec
      .given([...opened, raised])
      .when(answer)
      .then([answered]);
    const state = fold(budgetDecider, [...opened, raised, answered]);
    expect(state.status === 'open' && state.questions.q1?.answer).toMatchObject({
      text: 'Two grant rounds this year.',
    });
  });
  it('lets any member answer about a line the full coalition stewards', () => {
    const onTranslation: BudgetEvent = {
      ...raised,
      data: { ...raised.data, lineId: 'translation' },
    } as BudgetEvent;
    spec
      .given([...opened, onTranslation])
      .when({ ...answer, actor: rep('o4'), context: { stewardGroup: null } })
      .then([
        { ...answered, data: { ...answered.data, organizationId: 'o4', personId: 'o4-person' } },
      ] as BudgetEvent[]);
  });
  it('refuses an organization outside the stewarding group', () => {
    spec
      .given([...opened, raised])
      .when({ ...answer, actor: rep('o4') })
      .thenRejects('NOT_A_STEWARD');
  });
  it('refuses facts about another group', () => {
    spec
      .given([...opened, raised])
      .when({ ...answer, context: { stewardGroup: { ...stewards, groupId: 'finance-wg' } } })
      .thenRejects('CONTEXT_MISMATCH');
  });
  it('refuses an unknown or answered question, and an unknown budget', () => {
    spec.given(opened).when(answer).thenRejects('QUESTION_NOT_FOUND');
    spec
      .given([...opened, raised, answered])
      .when(answer)
      .thenRejects('QUESTION_ALREADY_ANSWERED');
    spec.given([]).when(answer).thenRejects('BUDGET_NOT_FOUND');
  });
  it('is refused to an auditor', () => {
    spec
      .given([...opened, raised])
      .when({ ...answer, actor: auditor })
      .thenRejects('AUDITOR_READ_ONLY');
  });
});

describe('budgetFacts', () => {
  it('exposes the lines and commitments a proposal needs, and nothing before opening', () => {
    expect(budgetFacts(budgetDecider.initialState())).toBeNull();
    const facts = budgetFacts(fold(budgetDecider, committed));
    expect(facts?.currency).toBe('USD');
    expect(facts?.grantCommitments['app-1']).toMatchObject({
      recipientOrganizationId: 'rlo-9',
      committed: 2_000_000,
    });
  });
});
