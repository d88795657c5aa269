import { describe, expect, it } from 'vitest';
import {
  type BudgetFacts,
  fold,
  type GrantCallCommand,
  type GrantCallEvent,
  grantApplicationFacts,
  grantCallDecider,
} from '../src/index.ts';
import { grantApplication, grantsGroup, grantsLine } from './support/coalition.ts';
import { at, auditor, exec, facilitator, rep, system } from './support/fixtures.ts';
import { specification } from './support/spec.ts';

const spec = specification(grantCallDecider);
const grantCallId = 'call-1';
const line = grantsLine;
const budget: BudgetFacts = {
  budgetId: 'b1',
  currency: 'USD',
  lines: { grants: line, travel: { ...line, lineId: 'travel', category: 'travel' } },
  grantCommitments: {},
  groupMoves: {},
};
const stewards = grantsGroup;

const call = {
  grantCallId,
  title: 'Round 1',
  description: 'Small grants for RLOs',
  criteria: ['Refugee-led', 'Under USD 50,000 yearly budget'],
  budgetId: 'b1',
  lineId: 'grants',
  deadline: at(24 * 30),
};
const published: GrantCallEvent = {
  type: 'GrantCallPublished',
  data: { ...call, stewardGroupId: 'grants-wg', publishedBy: 'o1-person', at: at(0) },
};
const application = {
  grantCallId,
  applicationId: 'app-1',
  applicantOrganizationId: 'rlo-9',
  applicantName: 'RLO Nine',
  amountRequested: 2_000_000,
  summary: 'Legal aid clinic',
  attachments: [],
};
const submitted: GrantCallEvent = {
  type: 'GrantApplicationSubmitted',
  data: { ...application, submittedBy: 'facilitator-1', at: at(1) },
};
/** o2's review of the application, as given and as recorded. */
const o2Review = { recommendation: 'fund' as const, assessment: 'Strong community ties', attachments: [] };
const reviewed: GrantCallEvent = {
  type: 'GrantApplicationReviewed',
  data: {
    grantCallId,
    applicationId: 'app-1',
    reviewerOrganizationId: 'o2',
    reviewerPersonId: 'o2-person',
    ...o2Review,
    at: at(2),
  },
};
/** The award the adopted decision `award` made, as executed and as recorded. */
const adoptedAward = { grantCallId, applicationId: 'app-1', amount: 1_500_000, execution: exec('award') };
const awarded: GrantCallEvent = { type: 'GrantAwarded', data: { ...adoptedAward, at: at(3) } };

describe('PublishGrantCall', () => {
  const publish: GrantCallCommand = {
    type: 'PublishGrantCall',
    actor: rep('o1'),
    now: at(0),
    ...call,
    context: { budget, stewardGroup: stewards },
  };
  it('lets the stewarding group publish a call on a grants line', () => {
    spec.given([]).when(publish).then([published]);
  });
  it('refuses a call on a line that is not a grants line, or does not exist', () => {
    spec
      .given([])
      .when({ ...publish, lineId: 'travel' })
      .thenRejects('NOT_A_GRANTS_LINE');
    spec
      .given([])
      .when({ ...publish, lineId: 'salaries' })
      .thenRejects('BUDGET_LINE_NOT_FOUND');
  });
  it('refuses without the budget, or with facts of another budget', () => {
    spec
      .given([])
      .when({ ...publish, context: { budget: null, stewardGroup: stewards } })
      .thenRejects('BUDGET_NOT_FOUND');
    spec
      .given([])
      .when({ ...publish, budgetId: 'b2' })
      .thenRejects('CONTEXT_MISMATCH');
  });
  it('refuses an organization outside the stewarding group', () => {
    spec
      .given([])
      .when({ ...publish, actor: rep('o7') })
      .thenRejects('NOT_A_STEWARD');
  });
  it('refuses a deadline in the past and a second call with the same id', () => {
    spec
      .given([])
      .when({ ...publish, deadline: at(-1) })
      .thenRejects('DEADLINE_IN_THE_PAST');
    spec.given([published]).when(publish).thenRejects('GRANT_CALL_EXISTS');
  });
  it('is refused to a facilitator', () => {
    spec
      .given([])
      .when({ ...publish, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
  });
});

describe('SubmitGrantApplication', () => {
  const submit = {
    type: 'SubmitGrantApplication',
    actor: facilitator,
    now: at(1),
    ...application,
    context: { applicantIsMember: false },
  } satisfies GrantCallCommand;
  it('lets a facilitator submit for an organization outside the coalition', () => {
    spec.given([published]).when(submit).then([submitted]);
  });
  it('never lets the facilitator apply in the name of a member organization', () => {
    spec
      .given([published])
      .when({ ...submit, applicantOrganizationId: 'o3', context: { applicantIsMember: true } })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
  });
  it('lets a representative apply for their own organization only', () => {
    spec
      .given([published])
      .when({
        ...submit,
        actor: rep('o3'),
        applicantOrganizationId: 'o3',
        context: { applicantIsMember: true },
      })
      .then([
        {
          ...submitted,
          data: { ...submitted.data, applicantOrganizationId: 'o3', submittedBy: 'o3-person' },
        },
      ] as GrantCallEvent[]);
    spec
      .given([published])
      .when({ ...submit, actor: rep('o3') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
  });
  it('refuses after the deadline', () => {
    spec
      .given([published])
      .when({ ...submit, now: at(24 * 30 + 1) })
      .thenRejects('GRANT_CALL_CLOSED');
  });
  it('refuses a second application from the same organization or with the same id', () => {
    spec
      .given([published, submitted])
      .when({ ...submit, applicationId: 'app-2' })
      .thenRejects('APPLICATION_EXISTS');
    spec
      .given([published, submitted])
      .when({ ...submit, applicantOrganizationId: 'rlo-10' })
      .thenRejects('APPLICATION_EXISTS');
  });
  it('refuses an unknown call and a request of no money', () => {
    spec.given([]).when(submit).thenRejects('GRANT_CALL_NOT_FOUND');
    spec
      .given([published])
      .when({ ...submit, amountRequested: 0 })
      .thenRejects('INVALID_COMMAND');
  });
});

describe('ReviewGrantApplication', () => {
  const review: GrantCallCommand = {
    type: 'ReviewGrantApplication',
    actor: rep('o2'),
    now: at(2),
    grantCallId,
    applicationId: 'app-1',
    ...o2Review,
    context: { stewardGroup: stewards },
  };
  it('lets a member of the stewarding group review; a later review replaces its earlier one', () => {
    spec.given([published, submitted]).when(review).then([reviewed]);
    const revised = { ...reviewed, data: { ...reviewed.data, recommendation: 'revise' } } as GrantCallEvent;
    const state = fold(grantCallDecider, [published, submitted, reviewed, revised]);
    expect(grantApplicationFacts(state, 'app-1')?.reviewCount).toBe(1);
    expect(state.status === 'published' && state.applications['app-1']?.reviews.o2?.recommendation).toBe(
      'revise',
    );
  });
  it('refuses an organization reviewing its own application', () => {
    const own = {
      ...submitted,
      data: { ...submitted.data, applicantOrganizationId: 'o2' },
    } as GrantCallEvent;
    spec.given([published, own]).when(review).thenRejects('REVIEWER_CONFLICT_OF_INTEREST');
  });
  it('refuses reviewers outside the stewarding group, and facilitators', () => {
    spec
      .given([published, submitted])
      .when({ ...review, actor: rep('o5') })
      .thenRejects('NOT_A_STEWARD');
    spec
      .given([published, submitted])
      .when({ ...review, actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
  });
  it('refuses an unknown application', () => {
    spec.given([published]).when(review).thenRejects('APPLICATION_NOT_FOUND');
  });
});

describe('AwardGrant', () => {
  const award: GrantCallCommand = { type: 'AwardGrant', actor: system, now: at(3), ...adoptedAward };
  it('records the adopted award', () => {
    spec.given([published, submitted, reviewed]).when(award).then([awarded]);
  });
  it('refuses a second award, a re-run and more than requested', () => {
    spec
      .given([published, submitted, awarded])
      .when({ ...award, execution: exec('award-2') })
      .thenRejects('GRANT_ALREADY_AWARDED');
    spec.given([published, submitted, awarded]).when(award).thenRejects('DECISION_ALREADY_EXECUTED');
    spec
      .given([published, submitted])
      .when({ ...award, amount: 2_000_001 })
      .thenRejects('AWARD_EXCEEDS_REQUEST');
  });
  it('refuses an unknown application', () => {
    spec.given([published]).when(award).thenRejects('APPLICATION_NOT_FOUND');
  });
  it('is refused to people', () => {
    spec
      .given([published, submitted])
      .when({ ...award, actor: rep('o1') })
      .thenRejects('DECISION_EXECUTION_ONLY');
  });
});

describe('RecordGrantDisbursements', () => {
  /** A payment of `amount` on the grant, as the adopted decision `pay` ordered it. */
  const disbursed = (amount: number): GrantCallEvent => ({
    type: 'GrantDisbursed',
    data: { grantCallId, applicationId: 'app-1', amount, execution: exec('pay'), at: at(4) },
  });
  const pay = (
    payments: { applicationId: string; amount: number }[],
    proposalId = 'pay',
  ): GrantCallCommand => ({
    type: 'RecordGrantDisbursements',
    actor: system,
    now: at(4),
    grantCallId,
    payments,
    execution: exec(proposalId),
  });
  it('records adopted payments', () => {
    spec
      .given([published, submitted, awarded])
      .when(
        pay([
          { applicationId: 'app-1', amount: 1_000_000 },
          { applicationId: 'app-1', amount: 500_000 },
        ]),
      )
      .then([disbursed(1_000_000), disbursed(500_000)]);
  });
  it('refuses to pay more than awarded, counting every payment of the decision', () => {
    spec
      .given([published, submitted, awarded])
      .when(
        pay([
          { applicationId: 'app-1', amount: 1_000_000 },
          { applicationId: 'app-1', amount: 500_001 },
        ]),
      )
      .thenRejects('DISBURSEMENT_EXCEEDS_COMMITMENT', { outstanding: 1_500_000 });
  });
  it('refuses to pay an application without an award, or unknown', () => {
    spec
      .given([published, submitted])
      .when(pay([{ applicationId: 'app-1', amount: 1 }]))
      .thenRejects('GRANT_NOT_AWARDED');
    spec
      .given([published])
      .when(pay([{ applicationId: 'app-1', amount: 1 }]))
      .thenRejects('APPLICATION_NOT_FOUND');
  });
  it('applies a decision once', () => {
    const paid = disbursed(1);
    spec
      .given([published, submitted, awarded, paid])
      .when(pay([{ applicationId: 'app-1', amount: 1 }]))
      .thenRejects('DECISION_ALREADY_EXECUTED');
  });
  it('is refused to an auditor', () => {
    spec
      .given([published, submitted, awarded])
      .when({ ...pay([{ applicationId: 'app-1', amount: 1 }]), actor: auditor })
      .thenRejects('AUDITOR_READ_ONLY');
  });
});

describe('grantApplicationFacts', () => {
  it('describes an application for a grant-award proposal', () => {
    const state = fold(grantCallDecider, [published, submitted, reviewed, awarded]);
    expect(grantApplicationFacts(state, 'app-1')).toEqual({ ...grantApplication, awarded: true });
    expect(grantApplicationFacts(state, 'app-9')).toBeNull();
    expect(grantApplicationFacts(grantCallDecider.initialState(), 'app-1')).toBeNull();
  });
});
