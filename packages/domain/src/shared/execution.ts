import { z } from 'zod';
import { type DomainError, domainError } from '../errors.ts';
import { idSchema } from './primitives.ts';

/**
 * The adopted decision a process step executes. Aggregates remember the proposal ids they executed and
 * refuse a second execution of the same decision, so re-running a process step is harmless.
 */
export const executionSchema = z
  .object({
    proposalId: idSchema.describe('the adopted proposal'),
    decisionEventId: idSchema.describe('id of the stored ProposalDecided event (the causation)'),
  })
  .meta({ id: 'Execution', description: 'the adopted decision this change executes' });
export type Execution = z.infer<typeof executionSchema>;

/** The executed proposal ids after one more execution (unchanged when already remembered). */
export function withExecuted(ids: readonly string[], proposalId: string | null): readonly string[] {
  return proposalId === null || ids.includes(proposalId) ? ids : [...ids, proposalId];
}

/** Refuses a second execution of the same decision by one aggregate. */
export function refuseRepeat(
  executedProposalIds: readonly string[],
  execution: Execution,
): DomainError | null {
  return executedProposalIds.includes(execution.proposalId)
    ? domainError('DECISION_ALREADY_EXECUTED', { proposalId: execution.proposalId })
    : null;
}
