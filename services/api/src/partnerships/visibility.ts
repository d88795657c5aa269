import { COALITION_PARTY } from '@concord/domain';
import type { CheckInAnswerView, CheckInRoundView } from '@concord/projections/schemas';
import type { Principal } from '../auth/service.ts';

/**
 * What of a partnership a person may read: the one rule (ADR 0027).
 * - The coalition's people (representatives, facilitators, auditors) read every partnership; a partner's
 *   person only the partnerships they take part in (`contactOf`), and nothing else of the coalition's.
 * - Answers: an organization's own at any time; once a round closed, a partner's (a partner speaks for
 *   itself, as its results show), and the member organizations' of a round that was not pooled. A pooled
 *   round's member answers are never listed one by one, to anyone: its results show them together, and
 *   only where at least three rated.
 */
export function maySeePartnership(principal: Principal, contactOf: readonly string[], partnershipId: string) {
  return principal.role !== 'partner' || contactOf.includes(partnershipId);
}

export function visibleAnswers(
  principal: Principal,
  round: CheckInRoundView,
  answers: readonly CheckInAnswerView[],
): CheckInAnswerView[] {
  const closed = round.closedAt !== null;
  return answers.filter((answer) => {
    if (principal.organizationId !== null && answer.organizationId === principal.organizationId) return true;
    if (!closed) return false;
    return answer.partyId !== COALITION_PARTY || !round.pooled;
  });
}
