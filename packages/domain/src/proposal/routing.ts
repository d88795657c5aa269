import { z } from 'zod';
import type { BudgetFacts } from '../budget/facts.ts';
import { idSchema } from '../shared/primitives.ts';
import type { WorkingGroupFacts } from '../working-group/facts.ts';
import { limitPassed } from '../working-group/mandate.ts';
import type { DecisionContext } from './context.ts';
import { type BudgetEffect, budgetEffectOf, type ProposalPayload } from './payload.ts';

/** Who decides a proposal: the full coalition, or one working group. */
export const decidingBodySchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('coalition') }),
    z.object({ type: z.literal('workingGroup'), groupId: idSchema }),
  ])
  .meta({ id: 'DecidingBody', description: 'the full coalition or one working group' });
export type DecidingBody = z.infer<typeof decidingBodySchema>;

/**
 * Why a proposal went to its deciding body:
 * - `withinMandate`: every line it touches is in the stewarding group's mandate and within its limits;
 * - `groupMatter`: a group's own organisation (its leads);
 * - `coalitionMatter`: the charter, membership, creating, mandating or dissolving groups;
 * - any other reason names why a money change could not stay with a working group.
 */
export const routingReasonSchema = z
  .enum([
    'withinMandate',
    'groupMatter',
    'coalitionMatter',
    'opensBudget',
    'createsLine',
    'changesStewardship',
    'unknownLine',
    'stewardedByCoalition',
    'severalStewards',
    'stewardNotActive',
    'notInMandate',
    'currencyMismatch',
    'exceedsAmountLimit',
    'exceedsShareLimit',
    'exceedsCumulativeLimit',
  ])
  .meta({ id: 'RoutingReason', description: 'why a proposal went to its deciding body' });
export type RoutingReason = z.infer<typeof routingReasonSchema>;

/** The computed routing of a proposal, recorded when it opens: never chosen by the proposer. */
export const routingSchema = z
  .object({
    decidingBody: decidingBodySchema,
    reason: routingReasonSchema,
    lineId: idSchema.nullable().describe('the line that sent the decision to the full coalition, if one did'),
  })
  .meta({ id: 'Routing', description: 'who decides a proposal, and why: computed, never chosen' });
export type Routing = z.infer<typeof routingSchema>;

const coalition = (reason: RoutingReason, lineId: string | null = null): Routing => ({
  decidingBody: { type: 'coalition' },
  reason,
  lineId,
});

/**
 * Routes a budget change: to the stewarding working group when every line it touches is stewarded by
 * that one active group, listed in its mandate, and moved (per line, summed over the decision) no more
 * than each limit the mandate sets; otherwise to the full coalition. Opening a budget, creating a line
 * or changing who stewards a line always goes to the full coalition.
 */
export function routeBudgetChange(
  effect: BudgetEffect,
  facts: { readonly budget: BudgetFacts | null; readonly workingGroups: readonly WorkingGroupFacts[] },
): Routing {
  if (effect.opening) return coalition('opensBudget');
  // Sums and limits as exact big integers: a decision's moves on a line, times 10,000 basis points, can
  // pass what a double holds exactly.
  const magnitudes = new Map<string, bigint>();
  for (const change of effect.changes) {
    if (change.op === 'createLine') return coalition('createsLine', change.lineId);
    if (change.op === 'reassignLine') return coalition('changesStewardship', change.lineId);
    const moved = BigInt(change.op === 'allocate' ? Math.abs(change.delta) : change.amount);
    magnitudes.set(change.lineId, (magnitudes.get(change.lineId) ?? 0n) + moved);
  }
  const { budget } = facts;
  if (!budget || budget.budgetId !== effect.budgetId || magnitudes.size === 0) {
    return coalition('unknownLine');
  }

  let groupId: string | null = null;
  for (const lineId of magnitudes.keys()) {
    const line = Object.hasOwn(budget.lines, lineId) ? budget.lines[lineId] : undefined;
    if (!line) return coalition('unknownLine', lineId);
    if (line.stewardGroupId === null) return coalition('stewardedByCoalition', lineId);
    if (groupId !== null && groupId !== line.stewardGroupId) return coalition('severalStewards', lineId);
    groupId = line.stewardGroupId;
  }
  const group = facts.workingGroups.find((candidate) => candidate.groupId === groupId);
  if (group?.status !== 'active') return coalition('stewardNotActive');

  const { budgetLines, perDecisionLimit, cumulativeLimit } = group.mandate;
  for (const [lineId, moved] of magnitudes) {
    const allocated = budget.lines[lineId]?.allocated ?? 0;
    if (!budgetLines.some((ref) => ref.budgetId === budget.budgetId && ref.lineId === lineId)) {
      return coalition('notInMandate', lineId);
    }
    const passed = limitPassed(perDecisionLimit, moved, allocated, budget.currency);
    if (passed === 'currency') return coalition('currencyMismatch', lineId);
    if (passed === 'amount') return coalition('exceedsAmountLimit', lineId);
    if (passed === 'share') return coalition('exceedsShareLimit', lineId);
    if (cumulativeLimit) {
      // What the group's executed decisions already moved on the line this fiscal period, and this one.
      const before = BigInt(budget.groupMoves[group.groupId]?.[lineId] ?? 0);
      const cumulative = limitPassed(cumulativeLimit, before + moved, allocated, budget.currency);
      if (cumulative === 'currency') return coalition('currencyMismatch', lineId);
      if (cumulative) return coalition('exceedsCumulativeLimit', lineId);
    }
  }
  return {
    decidingBody: { type: 'workingGroup', groupId: group.groupId },
    reason: 'withinMandate',
    lineId: null,
  };
}

/** Routes any proposal from its payload and the context's facts. */
export function routeProposal(payload: ProposalPayload, context: DecisionContext): Routing {
  const effect = budgetEffectOf(payload);
  if (effect) return routeBudgetChange(effect, context);
  if (payload.kind === 'workingGroup' && payload.change.action === 'setLeads') {
    return {
      decidingBody: { type: 'workingGroup', groupId: payload.change.groupId },
      reason: 'groupMatter',
      lineId: null,
    };
  }
  return coalition('coalitionMatter');
}

/**
 * The member organizations of a deciding body now: the coalition's members, or the group's members
 * that are still coalition members (a departed organization never counts).
 */
export function decidingBodyMembers(body: DecidingBody, context: DecisionContext): string[] {
  const coalitionMembers = [...new Set(context.coalitionMemberIds)];
  if (body.type === 'coalition') return coalitionMembers;
  const group = context.workingGroups.find((candidate) => candidate.groupId === body.groupId);
  return coalitionMembers.filter((organizationId) => group?.memberIds.includes(organizationId));
}

/** Whether two deciding bodies are the same. */
export function sameBody(a: DecidingBody, b: DecidingBody): boolean {
  return a.type === b.type && (a.type === 'coalition' || a.groupId === (b as { groupId: string }).groupId);
}
