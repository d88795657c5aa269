// Relative imports (not $lib): unit-tested as is. `locale` for callers outside a request (tests).
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';

export function outcomeLabel(status: string, reason: string, options: { locale?: Locale } = {}): string {
  if (status === 'adopted') {
    if (reason === 'fallbackSupermajority') return m.outcome_adopted_fallback({}, options);
    if (reason === 'everyoneHasSpoken') return m.outcome_adopted_everyone_spoke({}, options);
    return m.outcome_adopted_consensus({}, options);
  }
  if (status === 'notAdopted') return m.outcome_not_adopted_blocked({}, options);
  switch (reason) {
    case 'feedbackWindowOpen':
      return m.outcome_open_window({}, options);
    case 'quorumNotMet':
      return m.outcome_open_quorum({}, options);
    case 'secondRoundRequired':
      return m.outcome_open_second_round({}, options);
    default:
      return reason;
  }
}
