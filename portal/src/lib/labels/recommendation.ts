import { m } from '../paraglide/messages.js';
import { labeler } from './labeler.ts';

export const recommendationLabel = labeler({
  fund: m.recommendation_fund,
  doNotFund: m.recommendation_do_not_fund,
  revise: m.recommendation_revise,
});
