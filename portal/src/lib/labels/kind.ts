import { m } from '../paraglide/messages.js';
import { labeler } from './labeler.ts';

export const kindLabel = labeler({
  budgetChange: m.kind_budget_change,
  grantAward: m.kind_grant_award,
  charterChange: m.kind_charter_change,
  membershipChange: m.kind_membership_change,
  workingGroup: m.kind_working_group,
});
