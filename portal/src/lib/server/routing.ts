// Who would decide a proposal, computed before it is submitted with the domain's own pure functions
// (`routeBudgetChange`, `recusalsFor`) over the current read models. The API computes the binding
// routing again from the event streams when the proposal opens; the two agree unless the budget or a
// mandate changes in between.
import {
  type BudgetFacts,
  budgetEffectOf,
  type ProposalPayload,
  type Recusal,
  type Routing,
  recusalsFor,
  routeBudgetChange,
  type WorkingGroupFacts,
} from '@concord/domain';
import type { Reply } from './api';

type BudgetDetail = Reply<'budget'>;
type WorkingGroupView = Reply<'workingGroups'>['workingGroups'][number];

export interface RoutingFacts {
  budget: BudgetFacts | null;
  workingGroups: WorkingGroupFacts[];
}

export function routingFacts(budget: BudgetDetail | null, groups: readonly WorkingGroupView[]): RoutingFacts {
  return {
    budget: budget
      ? {
          budgetId: budget.budgetId,
          currency: budget.currency,
          lines: Object.fromEntries(
            budget.lines.map((line) => [
              line.lineId,
              {
                lineId: line.lineId,
                name: line.name,
                category: line.category as BudgetFacts['lines'][string]['category'],
                stewardGroupId: line.stewardGroupId,
                partnerOrganizationIds: line.partnerOrganizationIds,
                allocated: line.allocated,
                committed: line.committed,
                spent: line.spent,
              },
            ]),
          ),
          // Recusals for disbursements need the commitments; the budget-change form pays no grants.
          grantCommitments: {},
          // What each group's decisions already moved per line is not in the read model: the preview
          // checks the per-decision limit only; the API checks the cumulative one when the proposal opens.
          groupMoves: {},
        }
      : null,
    workingGroups: groups.map((group) => ({
      groupId: group.groupId,
      status: group.status,
      memberIds: [],
      mandate: {
        ...group.mandate,
        cumulativeLimit: group.mandate.cumulativeLimit ?? null,
        expenses: group.mandate.expenses ?? null,
      },
    })),
  };
}

export interface RoutingPreview {
  routing: Routing;
  recusals: Recusal[];
}

/** The routing and recusals the API would compute for this payload now; null when it moves no money. */
export function previewRouting(payload: ProposalPayload, facts: RoutingFacts): RoutingPreview | null {
  const effect = budgetEffectOf(payload);
  if (!effect) return null;
  return { routing: routeBudgetChange(effect, facts), recusals: recusalsFor(payload, facts) };
}
