import { m } from '$lib/paraglide/messages.js';

export function outcomeLabel(status: string, reason: string): string {
  if (status === 'adopted') {
    if (reason === 'fallbackSupermajority') return m.outcome_adopted_fallback();
    if (reason === 'everyoneHasSpoken') return m.outcome_adopted_everyone_spoke();
    return m.outcome_adopted_consensus();
  }
  if (status === 'notAdopted') return m.outcome_not_adopted_blocked();
  switch (reason) {
    case 'feedbackWindowOpen':
      return m.outcome_open_window();
    case 'quorumNotMet':
      return m.outcome_open_quorum();
    case 'secondRoundRequired':
      return m.outcome_open_second_round();
    default:
      return reason;
  }
}
