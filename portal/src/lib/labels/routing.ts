import { m } from '$lib/paraglide/messages.js';

export function routingReasonLabel(reason: string | null): string {
  switch (reason) {
    case 'withinMandate':
      return m.routing_within_mandate();
    case 'groupMatter':
      return m.routing_group_matter();
    case 'coalitionMatter':
      return m.routing_coalition_matter();
    case 'opensBudget':
      return m.routing_opens_budget();
    case 'createsLine':
      return m.routing_creates_line();
    case 'changesStewardship':
      return m.routing_changes_stewardship();
    case 'unknownLine':
      return m.routing_unknown_line();
    case 'stewardedByCoalition':
      return m.routing_stewarded_by_coalition();
    case 'severalStewards':
      return m.routing_several_stewards();
    case 'stewardNotActive':
      return m.routing_steward_not_active();
    case 'notInMandate':
      return m.routing_not_in_mandate();
    case 'currencyMismatch':
      return m.routing_currency_mismatch();
    case 'exceedsAmountLimit':
      return m.routing_exceeds_amount_limit();
    case 'exceedsShareLimit':
      return m.routing_exceeds_share_limit();
    default:
      return reason ?? '';
  }
}
