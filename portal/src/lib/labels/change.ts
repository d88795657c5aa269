import { m } from '$lib/paraglide/messages.js';

export function changeLabel(change: string): string {
  switch (change) {
    case 'created':
      return m.change_created();
    case 'allocationChanged':
      return m.change_allocation();
    case 'spent':
      return m.change_spent();
    case 'grantCommitted':
      return m.change_grant_committed();
    case 'grantDisbursed':
      return m.change_grant_disbursed();
    case 'stewardshipChanged':
      return m.change_stewardship();
    default:
      return change;
  }
}
