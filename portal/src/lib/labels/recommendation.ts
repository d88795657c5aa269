// Relative imports (not $lib): unit-tested as is. `locale` for callers outside a request (tests).
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';

export function recommendationLabel(recommendation: string, options: { locale?: Locale } = {}): string {
  switch (recommendation) {
    case 'fund':
      return m.recommendation_fund({}, options);
    case 'doNotFund':
      return m.recommendation_do_not_fund({}, options);
    case 'revise':
      return m.recommendation_revise({}, options);
    default:
      return recommendation;
  }
}
