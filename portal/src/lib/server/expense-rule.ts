// How a line's expenses are approved, in the reader's words (worded on the server: ADR 0017): the
// stewarding group's tiers, or why every expense on the line is a budget-change proposal.
import { formatMoney } from '$lib/format';
import { isolate } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import type { Reply } from './api';

type Line = Reply<'budget'>['lines'][number];
type WorkingGroup = Reply<'workingGroup'>;

/** Whether a line takes expenses from its stewarding group's policy, and the rule in the reader's words. */
export interface ExpenseRule {
  /** The form is offered: the group approves expenses up to some amount. */
  open: boolean;
  /** The rule (tiers) or why every expense on this line is a proposal. */
  text: string;
}

/**
 * How expenses on a line are approved, in words (worded here: ADR 0017). The reasons are the domain's
 * for `EXPENSE_NEEDS_PROPOSAL`; the amount-dependent ones (above the last tier, too few organizations
 * left to approve) can only be known when an expense is submitted.
 */
export function expenseRule(line: Line, steward: WorkingGroup | null, currency: string): ExpenseRule {
  const closed = (reason: string, group = '') => ({ open: false, text: needsProposalWords(reason, group) });
  if (line.stewardGroupId === null) return closed('coalitionLine');
  if (steward?.status !== 'active') return closed('groupDissolved');
  const group = isolate(steward.name);
  const policy = steward.mandate.expenses;
  if (!policy) return closed('noPolicy', group);
  if (policy.currency !== currency) return closed('otherCurrency', group);
  const locale = getLocale();
  const tiers = policy.tiers
    .map((tier) =>
      m.expense_rule_tier({
        amount: formatMoney(tier.upTo, currency, locale),
        count: String(tier.approvals),
      }),
    )
    .join(m.expense_rule_tier_separator());
  return { open: true, text: m.expense_rule_tiers({ group, tiers }) };
}

/** Why an expense needs a proposal (`EXPENSE_NEEDS_PROPOSAL`'s reason), in words. */
export function needsProposalWords(reason: unknown, group = '', approvals?: unknown): string {
  switch (reason) {
    case 'coalitionLine':
      return m.expense_needs_coalition_line();
    case 'groupDissolved':
      return m.expense_needs_group_dissolved();
    case 'noPolicy':
      return group ? m.expense_needs_no_policy({ group }) : m.expense_needs_no_policy_any();
    case 'otherCurrency':
      return m.expense_needs_other_currency();
    case 'aboveBound':
      return m.expense_needs_above_bound();
    case 'tooFewApprovers':
      return m.expense_needs_too_few({ approvals: String(approvals ?? '') });
    default:
      return m.problem_expense_needs_proposal();
  }
}
