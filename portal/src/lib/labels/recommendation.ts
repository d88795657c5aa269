import { m } from '$lib/paraglide/messages.js';

export function recommendationLabel(recommendation: string): string {
  switch (recommendation) {
    case 'fund':
      return m.recommendation_fund();
    case 'doNotFund':
      return m.recommendation_do_not_fund();
    case 'revise':
      return m.recommendation_revise();
    default:
      return recommendation;
  }
}
