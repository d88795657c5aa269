import type {
  BudgetChange,
  BudgetEvent,
  BudgetFacts,
  BudgetLine,
  DecisionContext,
  GrantApplicationFacts,
  Mandate,
  ProposalPayload,
  WorkingGroupFacts,
} from '../../src/index.ts';
import { at, exec, mandate, rules } from './fixtures.ts';

/** A small coalition: four members; the Grants group (o1, o2) stewards the grants line of budget b1. */
export const grantsLine: BudgetLine = {
  lineId: 'grants',
  name: 'Grants to RLOs',
  category: 'grants',
  stewardGroupId: 'grants-wg',
  partnerOrganizationIds: [],
  allocated: 10_000_000,
  committed: 0,
  spent: 0,
};

/** The `createLine` change that opens `line` with its allocation, nothing committed or spent yet. */
export function createLine({ committed: _committed, spent: _spent, ...line }: BudgetLine) {
  return { op: 'createLine', ...line } satisfies BudgetChange;
}

export const translationLine: BudgetLine = {
  lineId: 'translation',
  name: 'Translation',
  category: 'translation',
  stewardGroupId: null,
  partnerOrganizationIds: ['o3'],
  allocated: 500_000,
  committed: 0,
  spent: 0,
};

export const budget: BudgetFacts = {
  budgetId: 'b1',
  currency: 'USD',
  lines: { grants: grantsLine, translation: translationLine },
  grantCommitments: {},
  groupMoves: {},
};

export const grantsGroup: WorkingGroupFacts = {
  groupId: 'grants-wg',
  status: 'active',
  memberIds: ['o1', 'o2'],
  mandate: mandate(),
};

export const context: DecisionContext = {
  rules,
  coalitionMemberIds: ['o1', 'o2', 'o3', 'o4'],
  representedMemberIds: ['o1', 'o2', 'o3', 'o4'],
  workingGroups: [grantsGroup],
  budget,
  grantApplication: null,
  partnership: null,
};

type BudgetChangePayload = Extract<ProposalPayload, { kind: 'budgetChange' }>;
type BudgetChanges = BudgetChangePayload['changes'];

/** A proposal making `changes` to budget b1, which is open already. */
export const budgetChange = (changes: BudgetChanges): BudgetChangePayload => ({
  kind: 'budgetChange',
  budgetId: 'b1',
  opening: null,
  changes,
});

/** Within the Grants group's mandate: USD 4,000 is under USD 10,000 and under 5% of USD 100,000. */
export const smallGrantsIncrease: ProposalPayload = budgetChange([
  { op: 'allocate', lineId: 'grants', delta: 400_000 },
]);

/** Over 5% of the grants line: goes to the full coalition. */
export const largeGrantsIncrease: ProposalPayload = budgetChange([
  { op: 'allocate', lineId: 'grants', delta: 600_000 },
]);

/** Spending `amount` on interpreters from the translation line. */
export const spendOnInterpreters = (amount: number): ProposalPayload =>
  budgetChange([
    { op: 'spend', lineId: 'translation', amount, description: 'Interpreters', payeeOrganizationId: null },
  ]);

export const interpretersExpense: ProposalPayload = spendOnInterpreters(100_000);

/** An award of `amount` from the grants line to `rlo-9`, for its application (`app-1`) to `call-1`. */
export const grantAward = (amount: number, applicationId = 'app-1'): ProposalPayload => ({
  kind: 'grantAward',
  grantCallId: 'call-1',
  applicationId,
  applicantOrganizationId: 'rlo-9',
  budgetId: 'b1',
  lineId: 'grants',
  amount,
});

/** The application `grantAward` is for: `rlo-9` asks `call-1` for USD 20,000; reviewed, not awarded. */
export const grantApplication: GrantApplicationFacts = {
  grantCallId: 'call-1',
  applicationId: 'app-1',
  applicantOrganizationId: 'rlo-9',
  budgetId: 'b1',
  lineId: 'grants',
  amountRequested: 2_000_000,
  reviewCount: 1,
  awarded: false,
};

/** A charter change that only restates the shared values. */
export const sharedValuesChange: ProposalPayload = {
  kind: 'charterChange',
  rules: null,
  sharedValues: ['x'],
  adoptSops: [],
  retireSopIds: [],
};

/** Budget b1's opening: for 2025, in USD. */
const opening2025 = {
  name: '2025',
  fiscalPeriod: { start: '2025-01-01', end: '2025-12-31' },
  currency: 'USD',
};

/** Opening budget b1 for 2025, in USD, with the lines `changes` creates. */
export const budgetOpening = (changes: BudgetChanges): ProposalPayload => ({
  kind: 'budgetChange',
  budgetId: 'b1',
  opening: opening2025,
  changes,
});

/** Budget b1 as its opening decision (`opening`) recorded it: opened for 2025, with `lines` created. */
export function openedBudget(lines: BudgetLine[]): BudgetEvent[] {
  const recorded = { budgetId: 'b1', execution: exec('opening'), at: at(0) };
  return [
    { type: 'BudgetOpened', data: { ...opening2025, ...recorded } },
    ...lines.map(
      ({ committed: _committed, spent: _spent, ...line }): BudgetEvent => ({
        type: 'BudgetLineCreated',
        data: { ...line, ...recorded, decidedByGroupId: null },
      }),
    ),
  ];
}

/** Creating the Grants group `grants-wg` with `mandate`. */
export const grantsGroupCreation = (groupMandate: Mandate, takeOverLines: boolean): ProposalPayload => ({
  kind: 'workingGroup',
  change: {
    action: 'create',
    groupId: 'grants-wg',
    name: 'Grants',
    purpose: 'Grant rounds',
    mandate: groupMandate,
    takeOverLines,
  },
});
