import { type Decider, type Decision, validating } from '../decider.ts';
import { type DomainError, domainError, isDomainError } from '../errors.ts';
import { refuseRepeat, withExecuted } from '../shared/execution.ts';
import { isBefore } from '../shared/time.ts';
import { checkSteward } from '../working-group/facts.ts';
import { type GrantCallCommand, grantCallCommandSchema } from './commands.ts';
import type { GrantCallEvent } from './events.ts';

/** A stewarding-group member's review of an application. */
export interface GrantReview {
  readonly recommendation: 'fund' | 'doNotFund' | 'revise';
  readonly assessment: string;
  readonly personId: string;
  readonly at: string;
}

/** An application, its reviews (one per reviewing organization) and what was awarded and paid. */
export interface GrantApplication {
  readonly applicationId: string;
  readonly applicantOrganizationId: string;
  readonly applicantName: string;
  readonly amountRequested: number;
  readonly summary: string;
  readonly submittedAt: string;
  readonly reviews: Readonly<Record<string, GrantReview>>;
  readonly awarded: number | null;
  readonly disbursed: number;
}

/** A grant call (stream `grantcall-<grantCallId>`): the fund round and its applications. */
export type GrantCallState =
  | { readonly status: 'none' }
  | {
      readonly status: 'published';
      readonly grantCallId: string;
      readonly title: string;
      readonly description: string;
      readonly criteria: readonly string[];
      readonly budgetId: string;
      readonly lineId: string;
      readonly stewardGroupId: string | null;
      readonly deadline: string;
      readonly applications: Readonly<Record<string, GrantApplication>>;
      readonly executedProposalIds: readonly string[];
    };

type PublishedCall = Extract<GrantCallState, { status: 'published' }>;

function findApplication(call: PublishedCall, applicationId: string): GrantApplication | DomainError {
  return call.applications[applicationId] ?? domainError('APPLICATION_NOT_FOUND', { applicationId });
}

function decide(command: GrantCallCommand, state: GrantCallState): Decision<GrantCallEvent> {
  const { actor, now: at } = command;
  if (command.type === 'PublishGrantCall') {
    const { grantCallId, title, description, criteria, budgetId, lineId, deadline, context } = command;
    if (state.status !== 'none') return domainError('GRANT_CALL_EXISTS', { grantCallId });
    if (!context.budget) return domainError('BUDGET_NOT_FOUND', { budgetId });
    if (context.budget.budgetId !== budgetId) return domainError('CONTEXT_MISMATCH', { budgetId });
    const line = context.budget.lines[lineId];
    if (!line) return domainError('BUDGET_LINE_NOT_FOUND', { lineId });
    if (line.category !== 'grants') return domainError('NOT_A_GRANTS_LINE', { lineId });
    const notSteward = checkSteward(
      actor.organizationId as string,
      line.stewardGroupId,
      context.stewardGroup,
    );
    if (notSteward) return notSteward;
    if (!isBefore(at, deadline)) return domainError('DEADLINE_IN_THE_PAST', { deadline });
    return [
      {
        type: 'GrantCallPublished',
        data: {
          grantCallId,
          title,
          description,
          criteria,
          budgetId,
          lineId,
          stewardGroupId: line.stewardGroupId,
          deadline,
          publishedBy: actor.personId,
          at,
        },
      },
    ];
  }

  if (state.status === 'none') {
    return domainError('GRANT_CALL_NOT_FOUND', { grantCallId: command.grantCallId });
  }
  const { grantCallId } = command;
  switch (command.type) {
    case 'SubmitGrantApplication': {
      const { applicationId, applicantOrganizationId, applicantName, amountRequested, summary, attachments } =
        command;
      if (actor.role === 'representative' && actor.organizationId !== applicantOrganizationId) {
        return domainError('NOT_YOUR_ORGANIZATION', { organizationId: applicantOrganizationId });
      }
      // The facilitator enters applications of outsiders only: a member speaks for itself.
      if (actor.role === 'facilitator' && command.context.applicantIsMember) {
        return domainError('FACILITATOR_NOT_ALLOWED', { organizationId: applicantOrganizationId });
      }
      if (isBefore(state.deadline, at)) return domainError('GRANT_CALL_CLOSED', { deadline: state.deadline });
      const duplicate = Object.values(state.applications).some(
        (application) =>
          application.applicationId === applicationId ||
          application.applicantOrganizationId === applicantOrganizationId,
      );
      if (duplicate) return domainError('APPLICATION_EXISTS', { applicationId });
      return [
        {
          type: 'GrantApplicationSubmitted',
          data: {
            grantCallId,
            applicationId,
            applicantOrganizationId,
            applicantName,
            amountRequested,
            summary,
            attachments,
            submittedBy: actor.personId,
            at,
          },
        },
      ];
    }
    case 'ReviewGrantApplication': {
      const application = findApplication(state, command.applicationId);
      if (isDomainError(application)) return application;
      const reviewerOrganizationId = actor.organizationId as string;
      if (application.applicantOrganizationId === reviewerOrganizationId) {
        return domainError('REVIEWER_CONFLICT_OF_INTEREST');
      }
      const notSteward = checkSteward(
        reviewerOrganizationId,
        state.stewardGroupId,
        command.context.stewardGroup,
      );
      if (notSteward) return notSteward;
      const { applicationId, recommendation, assessment, attachments } = command;
      return [
        {
          type: 'GrantApplicationReviewed',
          data: {
            grantCallId,
            applicationId,
            reviewerOrganizationId,
            reviewerPersonId: actor.personId,
            recommendation,
            assessment,
            attachments,
            at,
          },
        },
      ];
    }
    case 'AwardGrant': {
      const refused = refuseRepeat(state.executedProposalIds, command.execution);
      if (refused) return refused;
      const { applicationId, amount, execution } = command;
      const application = findApplication(state, applicationId);
      if (isDomainError(application)) return application;
      if (application.awarded !== null) return domainError('GRANT_ALREADY_AWARDED', { applicationId });
      if (amount > application.amountRequested) {
        return domainError('AWARD_EXCEEDS_REQUEST', { amountRequested: application.amountRequested });
      }
      return [{ type: 'GrantAwarded', data: { grantCallId, applicationId, amount, execution, at } }];
    }
    case 'RecordGrantDisbursements': {
      const refused = refuseRepeat(state.executedProposalIds, command.execution);
      if (refused) return refused;
      const { payments, execution } = command;
      const paid = new Map<string, number>();
      for (const { applicationId, amount } of payments) {
        const application = findApplication(state, applicationId);
        if (isDomainError(application)) return application;
        if (application.awarded === null) return domainError('GRANT_NOT_AWARDED', { applicationId });
        const total = (paid.get(applicationId) ?? application.disbursed) + amount;
        if (total > application.awarded) {
          return domainError('DISBURSEMENT_EXCEEDS_COMMITMENT', {
            applicationId,
            outstanding: application.awarded - application.disbursed,
          });
        }
        paid.set(applicationId, total);
      }
      return payments.map(({ applicationId, amount }) => ({
        type: 'GrantDisbursed',
        data: { grantCallId, applicationId, amount, execution, at },
      }));
    }
  }
}

function withApplication(
  state: PublishedCall,
  applicationId: string,
  change: (application: GrantApplication) => Partial<GrantApplication>,
): PublishedCall {
  const application = state.applications[applicationId];
  if (!application) return state;
  return {
    ...state,
    applications: { ...state.applications, [applicationId]: { ...application, ...change(application) } },
  };
}

function evolve(state: GrantCallState, event: GrantCallEvent): GrantCallState {
  if (event.type === 'GrantCallPublished') {
    const { publishedBy: _publishedBy, at: _at, ...call } = event.data;
    return { status: 'published', ...call, applications: {}, executedProposalIds: [] };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'GrantApplicationSubmitted': {
      const { grantCallId: _grantCallId, submittedBy: _submittedBy, at, ...application } = event.data;
      return {
        ...state,
        applications: {
          ...state.applications,
          [application.applicationId]: {
            ...application,
            submittedAt: at,
            reviews: {},
            awarded: null,
            disbursed: 0,
          },
        },
      };
    }
    case 'GrantApplicationReviewed': {
      const { applicationId, reviewerOrganizationId, reviewerPersonId, recommendation, assessment, at } =
        event.data;
      return withApplication(state, applicationId, (application) => ({
        reviews: {
          ...application.reviews,
          [reviewerOrganizationId]: { recommendation, assessment, personId: reviewerPersonId, at },
        },
      }));
    }
    case 'GrantAwarded':
    case 'GrantDisbursed': {
      const { applicationId, amount, execution } = event.data;
      const next = withApplication(state, applicationId, (application) =>
        event.type === 'GrantAwarded' ? { awarded: amount } : { disbursed: application.disbursed + amount },
      );
      return { ...next, executedProposalIds: withExecuted(state.executedProposalIds, execution.proposalId) };
    }
  }
}

/** The grant-call decider: call, applications, reviews; awards and payments only by decision. */
export const grantCallDecider: Decider<GrantCallCommand, GrantCallEvent, GrantCallState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide: validating(grantCallCommandSchema, decide),
};
