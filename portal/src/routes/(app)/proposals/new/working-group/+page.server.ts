import { randomUUID } from 'node:crypto';
import type { Mandate, ProposalPayload } from '@concord/domain';
import { parseAmount } from '$lib/money';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { readOptional } from '$lib/server/api';
import { currentBudget, loadBudgets } from '$lib/server/budget';
import { Posted } from '$lib/server/forms';
import { proposeWhenComplete } from '$lib/server/proposals';
import type { Actions, PageServerLoad } from './$types';

type Fetch = typeof fetch;
const changes = ['create', 'setMandate', 'setLeads', 'dissolve'] as const;

async function context(fetch: Fetch) {
  const [groups, budgets, charter] = await Promise.all([
    readOptional(fetch, 'workingGroups'),
    loadBudgets(fetch),
    readOptional(fetch, 'charter'),
  ]);
  const summary = currentBudget(budgets, new Date());
  const budget = summary ? await readOptional(fetch, 'budget', { budgetId: summary.budgetId }) : null;
  return {
    groups: (groups?.workingGroups ?? []).filter((group) => group.status === 'active'),
    budget,
    charter,
  };
}

export const load: PageServerLoad = async ({ fetch, url }) => {
  const { groups, budget, charter } = await context(fetch);
  return {
    changes,
    groups: groups.map((group) => ({
      groupId: group.groupId,
      name: group.name,
      leads: group.leadOrganizationIds,
    })),
    budget: budget
      ? {
          budgetId: budget.budgetId,
          currency: budget.currency,
          lines: budget.lines.map((line) => ({ lineId: line.lineId, name: line.name })),
        }
      : null,
    selectedGroup: url.searchParams.get('group') ?? '',
    selectedChange: changes.find((change) => change === url.searchParams.get('change')) ?? 'create',
    // From the founding checklist: a first working group that takes over the lines of its mandate.
    prefill: (url.searchParams.get('founding') === '1'
      ? { title: m.founding_group_title(), body: m.founding_group_body(), takeOverLines: 'yes' }
      : {}) as Record<string, string>,
    urgentPath: charter?.rules.urgentPath ?? null,
  };
};

export const actions: Actions = {
  propose: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const { budget } = await context(fetch);
    const fields: Record<string, string> = {};
    const action = changes.find((change) => change === posted.text('change'));
    const groupId = posted.text('groupId');
    if (!action) fields.change = m.field_required();
    if (action && action !== 'create' && !groupId) fields.groupId = m.field_required();

    /** A limit from two fields (an amount, a percentage), or null when both are empty. */
    const limit = (amountField: string, shareField: string, currency: string) => {
      const amountText = posted.text(amountField);
      const maxAmount = amountText ? parseAmount(amountText, currency, getLocale()) : null;
      if (amountText && (maxAmount === null || maxAmount <= 0)) fields[amountField] = m.amount_invalid();
      const shareText = posted.text(shareField).replace(',', '.').replace('%', '');
      const share = shareText ? Math.round(Number(shareText) * 100) : null;
      if (shareText && (share === null || !Number.isFinite(share) || share < 1 || share > 10_000)) {
        fields[shareField] = m.share_invalid();
      }
      if (!amountText && !shareText) return null;
      return {
        maxAmount: maxAmount ? { amount: maxAmount, currency } : null,
        maxShareBasisPoints: share,
      };
    };

    const takeOverLines = posted.text('takeOverLines') === 'yes';
    const mandate = (): Mandate | null => {
      const summary = posted.text('mandateSummary');
      if (!summary) fields.mandateSummary = m.field_required();
      const currency = budget?.currency ?? 'USD';
      const perDecision = limit('maxAmount', 'maxShare', currency);
      const cumulative = limit('cumulativeAmount', 'cumulativeShare', currency);
      const lineIds = posted.all('lines');
      if (takeOverLines && lineIds.length === 0) fields.lines = m.take_over_needs_lines();
      const wrong = ['maxAmount', 'maxShare', 'cumulativeAmount', 'cumulativeShare', 'lines'];
      if (!summary || wrong.some((field) => fields[field])) return null;
      return {
        summary,
        budgetLines: budget ? lineIds.map((lineId) => ({ budgetId: budget.budgetId, lineId })) : [],
        perDecisionLimit: perDecision ?? { maxAmount: null, maxShareBasisPoints: null },
        cumulativeLimit: cumulative,
        // How the group approves expenses is not asked here yet: every expense on its lines is a proposal.
        expenses: null,
      };
    };

    let payload: ProposalPayload | null = null;
    if (action === 'create') {
      const name = posted.text('name');
      const purpose = posted.text('purpose');
      if (!name) fields.name = m.field_required();
      if (!purpose) fields.purpose = m.field_required();
      const given = mandate();
      if (name && purpose && given) {
        payload = {
          kind: 'workingGroup',
          change: { action, groupId: randomUUID(), name, purpose, mandate: given, takeOverLines },
        };
      }
    } else if (action === 'setMandate') {
      const given = mandate();
      if (given && groupId) {
        payload = { kind: 'workingGroup', change: { action, groupId, mandate: given, takeOverLines } };
      }
    } else if (action === 'setLeads') {
      if (groupId) {
        payload = {
          kind: 'workingGroup',
          change: { action, groupId, leadOrganizationIds: posted.all('leads') },
        };
      }
    } else if (action === 'dissolve' && groupId) {
      payload = { kind: 'workingGroup', change: { action, groupId } };
    }

    return proposeWhenComplete(fetch, posted, fields, payload);
  },
};
