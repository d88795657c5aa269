import type { DomainCommand } from '../commands.ts';
import type { DomainError } from '../errors.ts';
import type { ProposalDecided } from '../proposal/events.ts';
import { type BudgetEffect, budgetEffectOf } from '../proposal/payload.ts';
import { systemActor } from '../shared/actor.ts';
import type { Execution } from '../shared/execution.ts';

/** A stored `ProposalDecided` event: the domain event plus the id the event store gave it. */
export type StoredDecision = ProposalDecided & { readonly id: string };

const actor = systemActor('decision-execution');

function effectsOf(decision: ProposalDecided['data'], execution: Execution, now: string): DomainCommand[] {
  const base = { actor, now, execution };
  // Money a working group decided moves only while the group still holds the mandate for it.
  const decidedBy = decision.decidingBody;
  const { payload } = decision;
  switch (payload.kind) {
    case 'budgetChange': {
      const { budgetId, opening, changes } = payload;
      const payments = new Map<string, { applicationId: string; amount: number }[]>();
      for (const change of changes) {
        if (change.op !== 'disburseGrant') continue;
        const forCall = payments.get(change.grantCallId) ?? [];
        payments.set(change.grantCallId, [
          ...forCall,
          { applicationId: change.applicationId, amount: change.amount },
        ]);
      }
      return [
        { type: 'ExecuteBudgetChange', ...base, budgetId, opening, changes, decidedBy },
        ...[...payments].map(
          ([grantCallId, grantPayments]): DomainCommand => ({
            type: 'RecordGrantDisbursements',
            ...base,
            grantCallId,
            payments: grantPayments,
          }),
        ),
      ];
    }
    case 'grantAward': {
      const { grantCallId, applicationId, amount } = payload;
      // The money committed is the award's budget effect: one commitment on its line.
      const { budgetId, changes } = budgetEffectOf(payload) as BudgetEffect;
      return [
        { type: 'ExecuteBudgetChange', ...base, budgetId, opening: null, decidedBy, changes: [...changes] },
        { type: 'AwardGrant', ...base, grantCallId, applicationId, amount },
      ];
    }
    case 'charterChange': {
      const { rules, sharedValues, adoptSops, retireSopIds } = payload;
      return [{ type: 'AmendCharter', ...base, rules, sharedValues, adoptSops, retireSopIds }];
    }
    case 'membershipChange': {
      const { change } = payload;
      const basis = { type: 'decision', execution } as const;
      const { organizationId } = change;
      if (change.action === 'depart') {
        return [{ type: 'RecordMemberDeparture', ...base, organizationId, reason: change.reason }];
      }
      const personId = change.action === 'admit' ? change.firstRepresentativeId : change.personId;
      const appoint: DomainCommand[] =
        personId === null
          ? []
          : [{ type: 'AppointRepresentative', actor, now, organizationId, personId, basis }];
      if (change.action === 'appointRepresentative') return appoint;
      return [{ type: 'AdmitMember', actor, now, organizationId, name: change.name, basis }, ...appoint];
    }
    case 'workingGroup': {
      const { change } = payload;
      // Lines the group takes over are handed to it once it exists.
      const takeOver = budgetEffectOf(payload);
      const handOver: DomainCommand[] = takeOver
        ? [
            {
              type: 'ExecuteBudgetChange',
              ...base,
              budgetId: takeOver.budgetId,
              opening: null,
              changes: [...takeOver.changes],
            },
          ]
        : [];
      switch (change.action) {
        case 'create': {
          const { groupId, name, purpose, mandate } = change;
          return [{ type: 'CreateWorkingGroup', ...base, groupId, name, purpose, mandate }, ...handOver];
        }
        case 'setMandate': {
          const { groupId, mandate } = change;
          return [{ type: 'SetWorkingGroupMandate', ...base, groupId, mandate }, ...handOver];
        }
        case 'setLeads':
          return [{ type: 'SetWorkingGroupLeads', ...base, ...withoutAction(change) }];
        case 'dissolve':
          return [{ type: 'DissolveWorkingGroup', ...base, ...withoutAction(change) }];
      }
      break;
    }
    case 'partnership': {
      const { change } = payload;
      return change.action === 'establish'
        ? [{ type: 'EstablishPartnership', ...base, ...withoutAction(change) }]
        : [{ type: 'ChangePartnershipAgreement', ...base, ...withoutAction(change) }];
    }
  }
}

function withoutAction<Change extends { action: string }>(change: Change): Omit<Change, 'action'> {
  const { action: _action, ...rest } = change;
  return rest;
}

/**
 * The reaction to a decision: the commands that execute an adopted proposal, in order, ending with
 * `RecordProposalExecution`; none for a proposal not adopted. Each carries the system actor and
 * `execution: { proposalId, decisionEventId }`, so every aggregate applies a decision at most once.
 *
 * The process step runs them in order. A refusal with code `DECISION_ALREADY_EXECUTED` means that step
 * was done by an earlier run: continue. Any other refusal stops the run: issue
 * `executionFailureCommandFor(...)` so the failure is recorded on the proposal. Money effects come first,
 * so a refused payment leaves nothing else applied.
 */
export function executionCommandsFor(decided: StoredDecision, now: string): DomainCommand[] {
  if (decided.data.outcome !== 'adopted') return [];
  const execution: Execution = { proposalId: decided.data.proposalId, decisionEventId: decided.id };
  return [
    ...effectsOf(decided.data, execution, now),
    { type: 'RecordProposalExecution', actor, now, proposalId: execution.proposalId, execution },
  ];
}

/** The command recording that executing an adopted proposal was refused with `error`. */
export function executionFailureCommandFor(
  decided: StoredDecision,
  error: DomainError,
  now: string,
): DomainCommand {
  const execution: Execution = { proposalId: decided.data.proposalId, decisionEventId: decided.id };
  return {
    type: 'RecordExecutionFailure',
    actor,
    now,
    proposalId: execution.proposalId,
    execution,
    failure: { code: error.code, message: error.message },
  };
}
