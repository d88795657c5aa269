import { z } from 'zod';
import { idSchema } from '../shared/primitives.ts';
import type { DecisionContext } from './context.ts';
import { budgetEffectOf, type ProposalPayload } from './payload.ts';

/** An organization that would receive money from a proposal, and why: it comments but takes no stance. */
export const recusalSchema = z
  .object({
    organizationId: idSchema,
    reason: z.enum(['grantRecipient', 'linePartner', 'payee']),
  })
  .meta({ id: 'Recusal', description: 'an organization that would receive money, and why' });
export type Recusal = z.infer<typeof recusalSchema>;

/**
 * Who must be recused from a proposal: the recipient of a grant it awards or pays, the payee of an
 * expense, and the partner organizations of every line it changes (and those it would make partners).
 * Computed, never declared.
 */
export function recusalsFor(payload: ProposalPayload, context: Pick<DecisionContext, 'budget'>): Recusal[] {
  const effect = budgetEffectOf(payload);
  if (!effect) return [];
  const recusals = new Map<string, Recusal['reason']>();
  const recuse = (organizationId: string | null | undefined, reason: Recusal['reason']) => {
    if (organizationId && !recusals.has(organizationId)) recusals.set(organizationId, reason);
  };
  const budget = context.budget?.budgetId === effect.budgetId ? context.budget : null;
  for (const change of effect.changes) {
    switch (change.op) {
      case 'commitGrant':
        recuse(change.recipientOrganizationId, 'grantRecipient');
        break;
      case 'disburseGrant':
        recuse(budget?.grantCommitments[change.applicationId]?.recipientOrganizationId, 'grantRecipient');
        break;
      case 'spend':
        recuse(change.payeeOrganizationId, 'payee');
        break;
      case 'createLine':
      case 'reassignLine':
        for (const partner of change.partnerOrganizationIds ?? []) recuse(partner, 'linePartner');
        break;
    }
    const line =
      budget && Object.hasOwn(budget.lines, change.lineId) ? budget.lines[change.lineId] : undefined;
    for (const partner of line?.partnerOrganizationIds ?? []) recuse(partner, 'linePartner');
  }
  return [...recusals].map(([organizationId, reason]) => ({ organizationId, reason }));
}
