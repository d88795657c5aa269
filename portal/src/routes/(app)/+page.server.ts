import { redirect } from '@sveltejs/kit';
import { isolate } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import { read, readOptional } from '$lib/server/api';
import { currentBudget, loadBudgetChanges, loadBudgets } from '$lib/server/budget';
import { waitingExpenses } from '$lib/server/expenses';
import type { PageServerLoad } from './$types';

/**
 * The dashboard: what waits for my organization's stance, my working groups, the budget's latest
 * changes and its open questions.
 */
export const load: PageServerLoad = async ({ fetch, locals }) => {
  // Without a role the API shows nothing: the page only says why (see the (app) layout).
  // The notices below (no role, founding, people to confirm) are worded here, not in the page: each is
  // rare, and the dashboard's code (on every representative's first visit) would carry them in four
  // languages. The page's load runs again on every live update, so they stay current.
  if (locals.person?.role === 'none') {
    const by = locals.person.awaitingConfirmationBy;
    return {
      state: 'noRole' as const,
      title: titles(),
      notice: {
        title: m.no_role_title(),
        awaiting: by ? m.account_awaiting({ member: isolate(by.name) }) : null,
        confirmation: m.no_role_confirmation(),
        whatToDo: m.no_role_what_to_do(),
        removed: m.no_role_removed(),
      },
    };
  }
  const organizationId = locals.person?.organizationId ?? null;
  const now = new Date();
  const [open, budgets, member, charter, expenses] = await Promise.all([
    read(fetch, 'proposals', {}, { status: 'open', limit: 50 }),
    loadBudgets(fetch),
    organizationId ? readOptional(fetch, 'member', { organizationId }) : null,
    readOptional(fetch, 'charter'),
    waitingExpenses(fetch, locals.person),
  ]);
  // Before the founding a facilitator has one thing to do, and the founding walk guides it.
  if (!charter && locals.person?.role === 'facilitator') redirect(303, '/founding');

  // A representative sees what waits for their organization; others see every open decision.
  const details = organizationId
    ? await Promise.all(
        open.proposals
          .slice(0, 30)
          .map((summary) => readOptional(fetch, 'proposal', { proposalId: summary.proposalId })),
      )
    : [];
  const waiting = organizationId
    ? details
        .filter((detail) => detail !== null)
        .filter(
          (detail) =>
            detail.memberIds.includes(organizationId) &&
            !detail.recusals.some((recusal) => recusal.organizationId === organizationId) &&
            (detail.notYetConsulted.includes(organizationId) ||
              detail.stances.some(
                (stance) => stance.organizationId === organizationId && stance.needsReview,
              )),
        )
        .map((detail) => ({
          proposalId: detail.proposalId,
          title: detail.title,
          kind: detail.kind,
          decidingBody: detail.decidingBody,
          feedbackEndsAt: detail.feedbackEndsAt,
          needsReview: !detail.notYetConsulted.includes(organizationId),
          quorum: quorum(detail.tally),
        }))
    : open.proposals.map((summary) => ({
        proposalId: summary.proposalId,
        title: summary.title,
        kind: summary.kind,
        decidingBody: summary.decidingBody,
        feedbackEndsAt: summary.feedbackEndsAt,
        needsReview: false,
        quorum: quorum(summary.tally),
      }));

  const budget = currentBudget(budgets, now);
  const [detail, questions] = budget
    ? await Promise.all([
        read(fetch, 'budget', { budgetId: budget.budgetId }),
        read(fetch, 'questions', { budgetId: budget.budgetId }, { status: 'open' }),
      ])
    : [null, null];
  const changes = detail
    ? (
        await loadBudgetChanges(
          fetch,
          detail.budgetId,
          detail.lines.map((line) => line.lineId),
        )
      )
        .slice(-6)
        .reverse()
    : [];

  /** People a facilitator invited to my organization who wait for its confirmation. */
  const unconfirmed = (member?.representatives ?? [])
    .filter((rep) => !rep.confirmed)
    .map((rep) => rep.name ?? '')
    .filter(Boolean);
  return {
    state: 'ready' as const,
    title: titles(),
    /** Not founded yet (only auditors land here then), or founded and the first budget not yet opened. */
    founding: !charter
      ? { text: m.dashboard_not_founded() }
      : budgets.length === 0
        ? {
            title: m.dashboard_founding_title(),
            text: m.dashboard_founding_text(),
            link: m.dashboard_founding_link(),
          }
        : null,
    forOrganization: organizationId !== null,
    /** The panels' fixed words. */
    words: {
      waitingTitle: organizationId ? m.dashboard_waiting_title() : m.dashboard_open_title(),
      groupsTitle: m.dashboard_groups_title(),
      budgetTitle: m.dashboard_budget_title(),
      budgetLink: m.dashboard_budget_link(),
      questionsTitle: m.dashboard_questions_title(),
      feedbackEnded: m.feedback_ended(),
      needsReview: m.stance_needs_review(),
      lead: m.group_lead(),
    },
    /** What each panel says when it has nothing to list. */
    empty: {
      waiting: organizationId ? m.dashboard_waiting_empty() : m.dashboard_open_empty(),
      groups: organizationId ? m.dashboard_groups_empty() : m.dashboard_groups_none(),
      budget: m.dashboard_budget_empty(),
      questions: m.dashboard_questions_empty(),
    },
    toConfirm:
      organizationId && unconfirmed.length > 0
        ? {
            organizationId,
            text: m.dashboard_to_confirm({ names: unconfirmed.map((name) => isolate(name)).join(', ') }),
            link: m.dashboard_to_confirm_link(),
          }
        : null,
    /** Expenses waiting for my organization's approval: a link to the queue, worded here (ADR 0017). */
    expensesWaiting: expenses.length > 0 ? m.expenses_waiting_link({ count: String(expenses.length) }) : null,
    waiting,
    groups: (member?.commitments ?? []).map((group) => ({
      ...group,
      hours: m.hours_per_month({ hours: String(group.hoursPerMonth) }),
    })),
    budget: detail
      ? {
          budgetId: detail.budgetId,
          name: detail.name,
          currency: detail.currency,
          lines: Object.fromEntries(detail.lines.map((line) => [line.lineId, line.name])),
        }
      : null,
    changes: changes.map((change) => ({
      ...change,
      decidedThrough: change.proposalTitle
        ? m.decided_through({ proposal: isolate(change.proposalTitle) })
        : null,
    })),
    questions: questions?.questions ?? [],
  };
};

/** The page's title and heading. */
const titles = () => ({ page: m.page_title({ page: m.dashboard_title() }), heading: m.dashboard_title() });

/** "3 stances so far · quorum 4". */
const quorum = (tally: { counted: number; quorumRequired: number }) =>
  m.quorum_short({ counted: String(tally.counted), required: String(tally.quorumRequired) });
