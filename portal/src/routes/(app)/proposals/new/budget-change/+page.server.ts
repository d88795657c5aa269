import { randomUUID } from 'node:crypto';
import { budgetCategorySchema, type ProposalPayload } from '@concord/domain';
import { parseAmount } from '$lib/money';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { type Reply, readOptional } from '$lib/server/api';
import { currentBudget, loadBudgets } from '$lib/server/budget';
import { echoed, invalid, Posted } from '$lib/server/forms';
import { proposeWhenComplete } from '$lib/server/proposals';
import { previewRouting, type RoutingPreview, routingFacts } from '$lib/server/routing';
import type { Actions, PageServerLoad } from './$types';

type Fetch = typeof fetch;
const categories = budgetCategorySchema.options;
/** Rows for new lines: three when opening a budget, one when changing it (plain HTML, no script needed). */
const openingRows = 4;

async function facts(fetch: Fetch, budgetId: string | null) {
  const [budgets, groups, charter] = await Promise.all([
    loadBudgets(fetch),
    readOptional(fetch, 'workingGroups'),
    readOptional(fetch, 'charter'),
  ]);
  const summary = budgetId
    ? (budgets.find((budget) => budget.budgetId === budgetId) ?? null)
    : currentBudget(budgets, new Date());
  const budget = summary ? await readOptional(fetch, 'budget', { budgetId: summary.budgetId }) : null;
  return { budgets, budget, groups: groups?.workingGroups ?? [], charter };
}

export const load: PageServerLoad = async ({ fetch, url }) => {
  const opening = url.searchParams.get('opening') === '1';
  const { budgets, budget, groups, charter } = await facts(fetch, url.searchParams.get('budget'));
  const openBudget = opening || !budget;
  return {
    opening: openBudget,
    budgets: budgets.map((b) => ({ budgetId: b.budgetId, name: b.name })),
    budget: openBudget
      ? null
      : budget && {
          budgetId: budget.budgetId,
          name: budget.name,
          currency: budget.currency,
          lines: budget.lines.map((line) => ({
            lineId: line.lineId,
            name: line.name,
            category: line.category,
            stewardGroupId: line.stewardGroupId,
            partnerOrganizationIds: line.partnerOrganizationIds,
            allocated: line.allocated,
            remaining: line.remaining,
          })),
        },
    groups: groups
      .filter((group) => group.status === 'active')
      .map((group) => ({ groupId: group.groupId, name: group.name, mandate: group.mandate })),
    categories,
    rows: openBudget ? openingRows : 1,
    // From the founding checklist: the opening budget, with a title and text to start from.
    prefill: (url.searchParams.get('founding') === '1' && openBudget
      ? { title: m.founding_budget_title(), body: m.founding_budget_body() }
      : {}) as Record<string, string>,
    urgentPath: charter?.rules.urgentPath ?? null,
  };
};

type Budget = Reply<'budget'>;

/** The budget-change payload the form describes, or the fields that are wrong. */
function payloadOf(
  posted: Posted,
  budget: Budget | null,
  opening: boolean,
  locale: string,
): { payload: ProposalPayload | null; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const currency = opening ? posted.text('currency').toUpperCase() : (budget?.currency ?? 'USD');
  const amount = (name: string, { signed = false, required = false } = {}) => {
    const text = posted.text(name);
    if (!text) {
      if (required) fields[name] = m.field_required();
      return null;
    }
    const value = /^[A-Z]{3}$/.test(currency) ? parseAmount(text, currency, locale) : null;
    if (value === null || (!signed && value <= 0)) {
      fields[name] = signed ? m.amount_invalid_signed() : m.amount_invalid();
      return null;
    }
    return value;
  };

  let openingFrame: Extract<ProposalPayload, { kind: 'budgetChange' }>['opening'] = null;
  const changes: Extract<ProposalPayload, { kind: 'budgetChange' }>['changes'] = [];
  if (opening) {
    const name = posted.text('openingName');
    const start = posted.text('start');
    const end = posted.text('end');
    if (!name) fields.openingName = m.field_required();
    if (!/^[A-Z]{3}$/.test(currency)) fields.currency = m.currency_invalid();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) fields.start = m.field_date_invalid();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(end) || end <= start) fields.end = m.period_invalid();
    openingFrame = { name, currency, fiscalPeriod: { start, end } };
  } else if (budget) {
    for (const line of budget.lines) {
      const delta = amount(`delta-${line.lineId}`, { signed: true });
      if (delta !== null && delta !== 0) changes.push({ op: 'allocate', lineId: line.lineId, delta });
    }
    const reassignLine = posted.text('reassign-line');
    if (reassignLine) {
      const line = budget.lines.find((candidate) => candidate.lineId === reassignLine);
      const steward = posted.text('reassign-steward');
      const stewardGroupId = steward && steward !== 'coalition' ? steward : null;
      const partnerOrganizationIds =
        posted.text('reassign-partners-change') === 'yes' ? posted.all('reassign-partners') : null;
      if (!line) fields['reassign-line'] = m.field_required();
      else if (
        line.stewardGroupId === stewardGroupId &&
        (partnerOrganizationIds === null ||
          [...partnerOrganizationIds].sort().join() === [...line.partnerOrganizationIds].sort().join())
      ) {
        fields['reassign-steward'] = m.reassign_unchanged();
      } else {
        changes.push({ op: 'reassignLine', lineId: line.lineId, stewardGroupId, partnerOrganizationIds });
      }
    }
    const spendLine = posted.text('spend-line');
    if (spendLine || posted.text('spend-amount')) {
      const value = amount('spend-amount', { required: true });
      const description = posted.text('spend-description');
      if (!budget.lines.some((line) => line.lineId === spendLine)) fields['spend-line'] = m.field_required();
      if (!description) fields['spend-description'] = m.field_required();
      if (value !== null && description && spendLine) {
        changes.push({
          op: 'spend',
          lineId: spendLine,
          amount: value,
          description,
          payeeOrganizationId: posted.text('spend-payee') || null,
        });
      }
    }
  }
  const rows = opening ? openingRows : 1;
  for (let row = 0; row < rows; row++) {
    const name = posted.text(`new-${row}-name`);
    const allocated = amount(`new-${row}-amount`, { required: !!name });
    if (!name) {
      if (posted.text(`new-${row}-amount`)) fields[`new-${row}-name`] = m.field_required();
      continue;
    }
    const category = categories.find((c) => c === posted.text(`new-${row}-category`));
    if (!category) fields[`new-${row}-category`] = m.field_required();
    const steward = posted.text(`new-${row}-steward`);
    if (allocated !== null && category) {
      changes.push({
        op: 'createLine',
        lineId: randomUUID(),
        name,
        category,
        stewardGroupId: steward && steward !== 'coalition' ? steward : null,
        partnerOrganizationIds: [],
        allocated,
      });
    }
  }
  if (changes.length === 0 && Object.keys(fields).length === 0) fields.changes = m.budget_change_empty();
  const budgetId = opening ? randomUUID() : (budget?.budgetId ?? '');
  return {
    payload: Object.keys(fields).length
      ? null
      : { kind: 'budgetChange', budgetId, opening: openingFrame, changes },
    fields,
  };
}

async function read(request: Request, fetch: Fetch) {
  const posted = await Posted.of(request);
  const opening = posted.text('opening') === 'yes';
  const { budget, groups } = await facts(fetch, opening ? null : posted.text('budgetId') || null);
  const { payload, fields } = payloadOf(posted, opening ? null : budget, opening, getLocale());
  return { posted, opening, budget, groups, payload, fields };
}

function previewOf(
  payload: ProposalPayload | null,
  budget: Budget | null,
  groups: Reply<'workingGroups'>['workingGroups'],
): RoutingPreview | null {
  return payload ? previewRouting(payload, routingFacts(budget, groups)) : null;
}

export const actions: Actions = {
  /** Who would decide these changes, and why: computed, shown before anything is submitted. */
  preview: async ({ request, fetch }) => {
    const { posted, opening, budget, groups, payload, fields } = await read(request, fetch);
    const preview = previewOf(payload, opening ? null : budget, groups);
    if (!preview) return invalid('preview', fields, posted);
    return echoed('preview', posted.values(), { preview });
  },

  propose: async ({ request, fetch }) => {
    const { posted, payload, fields } = await read(request, fetch);
    return proposeWhenComplete(fetch, posted, fields, payload);
  },
};
