import { z } from 'zod';
import { type DomainError, domainError } from '../errors.ts';
import { idSchema } from '../shared/primitives.ts';
import type { WorkingGroupState } from './decider.ts';
import { mandateSchema } from './mandate.ts';

/**
 * What other aggregates' decisions need to know about a working group. The application layer builds it
 * with `workingGroupFacts(state)` from the group's own stream, never from user input.
 */
export const workingGroupFactsSchema = z.object({
  groupId: idSchema,
  status: z.enum(['active', 'dissolved']),
  memberIds: z.array(idSchema),
  mandate: mandateSchema,
});
export type WorkingGroupFacts = z.infer<typeof workingGroupFactsSchema>;

/**
 * The context of a command a line's or a call's stewards act on: `workingGroupFacts` of the stewarding
 * group now (null when the full coalition stewards), for `checkSteward`.
 */
export const stewardContextSchema = z.object({ stewardGroup: workingGroupFactsSchema.nullable() });

/** The facts of a working group's current state, or null when the group does not exist. */
export function workingGroupFacts(state: WorkingGroupState): WorkingGroupFacts | null {
  if (state.status === 'none') return null;
  return {
    groupId: state.groupId,
    status: state.status,
    memberIds: Object.keys(state.members),
    mandate: state.mandate,
  };
}

/**
 * Refuses an organization that is not in the stewarding group named by `stewardGroupId`; a null
 * steward means the full coalition stewards, so any member organization may act.
 */
export function checkSteward(
  organizationId: string,
  stewardGroupId: string | null,
  stewardGroup: WorkingGroupFacts | null,
): DomainError | null {
  if (stewardGroupId === null) return null;
  if (stewardGroup?.groupId !== stewardGroupId) return domainError('CONTEXT_MISMATCH', { stewardGroupId });
  return stewardGroup.memberIds.includes(organizationId)
    ? null
    : domainError('NOT_A_STEWARD', { stewardGroupId });
}
