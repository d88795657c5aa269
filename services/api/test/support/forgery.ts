import { randomUUID } from 'node:crypto';
import { systemActor } from '@concord/domain';
import type { NewEvent } from '@concord/event-store';

/**
 * What someone with the database would append to move money: a `BudgetLineSpent` of USD 100,000 written as
 * the decision-execution step writes effects, citing `decisionEventId` (a decision that never adopted it).
 * Appended with a valid hash, only the effect check can tell it from a real effect.
 */
export function forgedSpending(options: {
  budgetId: string;
  decisionEventId: string;
  at: string;
  payeeOrganizationId?: string | null;
  proposalId?: string;
}): NewEvent {
  return {
    id: randomUUID(),
    type: 'BudgetLineSpent',
    data: {
      budgetId: options.budgetId,
      lineId: 'grants',
      amount: 10_000_000,
      description: 'Consultancy',
      payeeOrganizationId: options.payeeOrganizationId ?? null,
      execution: { proposalId: options.proposalId ?? randomUUID(), decisionEventId: options.decisionEventId },
      decidedByGroupId: null,
      at: options.at,
    },
    metadata: {
      commandId: randomUUID(),
      commandType: 'ExecuteBudgetChange',
      correlationId: options.decisionEventId,
      causationId: options.decisionEventId,
      actor: systemActor('decision-execution'),
      schemaVersion: 1,
    },
  };
}
