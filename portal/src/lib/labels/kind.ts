import { m } from '$lib/paraglide/messages.js';

export function kindLabel(kind: string): string {
  switch (kind) {
    case 'budgetChange':
      return m.kind_budget_change();
    case 'grantAward':
      return m.kind_grant_award();
    case 'charterChange':
      return m.kind_charter_change();
    case 'membershipChange':
      return m.kind_membership_change();
    case 'workingGroup':
      return m.kind_working_group();
    default:
      return kind;
  }
}
