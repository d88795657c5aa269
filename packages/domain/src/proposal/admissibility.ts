import { applyBudgetChanges, type BudgetBook } from '../budget/apply.ts';
import { checkDecisionRules } from '../charter/rules.ts';
import { type DomainError, domainError, isDomainError } from '../errors.ts';
import type { DecisionContext } from './context.ts';
import { budgetEffectOf, type ProposalPayload } from './payload.ts';

function checkWorkingGroupChange(
  change: Extract<ProposalPayload, { kind: 'workingGroup' }>['change'],
  context: DecisionContext,
): DomainError | null {
  const group = context.workingGroups.find((candidate) => candidate.groupId === change.groupId);
  if (change.action === 'create') {
    return group ? domainError('WORKING_GROUP_EXISTS', { groupId: change.groupId }) : null;
  }
  if (!group) return domainError('WORKING_GROUP_NOT_FOUND', { groupId: change.groupId });
  if (group.status === 'dissolved') {
    return domainError('WORKING_GROUP_DISSOLVED', { groupId: change.groupId });
  }
  const outsider =
    change.action === 'setLeads'
      ? change.leadOrganizationIds.find((id) => !group.memberIds.includes(id))
      : undefined;
  return outsider === undefined ? null : domainError('NOT_IN_WORKING_GROUP', { organizationId: outsider });
}

function checkGrantAward(
  payload: Extract<ProposalPayload, { kind: 'grantAward' }>,
  context: DecisionContext,
) {
  const application = context.grantApplication;
  if (
    application?.applicationId !== payload.applicationId ||
    application.grantCallId !== payload.grantCallId
  ) {
    return domainError('APPLICATION_NOT_FOUND', { applicationId: payload.applicationId });
  }
  if (
    application.applicantOrganizationId !== payload.applicantOrganizationId ||
    application.budgetId !== payload.budgetId ||
    application.lineId !== payload.lineId
  ) {
    return domainError('CONTEXT_MISMATCH', { applicationId: payload.applicationId });
  }
  if (application.awarded) {
    return domainError('GRANT_ALREADY_AWARDED', { applicationId: payload.applicationId });
  }
  if (payload.amount > application.amountRequested) {
    return domainError('AWARD_EXCEEDS_REQUEST', { amountRequested: application.amountRequested });
  }
  if (application.reviewCount === 0) return domainError('APPLICATION_NOT_REVIEWED');
  return null;
}

/**
 * Checks, when a proposal opens (or an open one is amended), that what it proposes could be done with
 * the facts as they are now: the budget and its lines exist and can afford the change, the application
 * exists and was reviewed, the group exists (a group created by this very decision may take over lines),
 * the organization is (not) a member, and has no representative of its own when the coalition is to name
 * one. Execution checks again.
 */
export function checkAdmissible(payload: ProposalPayload, context: DecisionContext): DomainError | null {
  switch (payload.kind) {
    case 'charterChange':
      if (
        !payload.rules &&
        !payload.sharedValues &&
        payload.adoptSops.length + payload.retireSopIds.length === 0
      ) {
        return domainError('EMPTY_CHANGE');
      }
      return payload.rules && checkDecisionRules(payload.rules);
    case 'membershipChange': {
      const { action, organizationId } = payload.change;
      const member = context.coalitionMemberIds.includes(organizationId);
      if (action === 'admit') return member ? domainError('ALREADY_A_MEMBER', { organizationId }) : null;
      if (!member) return domainError('NOT_A_MEMBER', { organizationId });
      if (action === 'appointRepresentative' && context.representedMemberIds.includes(organizationId)) {
        return domainError('ORGANIZATION_IS_REPRESENTED', { organizationId });
      }
      return null;
    }
    case 'workingGroup': {
      const refused = checkWorkingGroupChange(payload.change, context);
      if (refused) return refused;
      break;
    }
    case 'grantAward': {
      const refused = checkGrantAward(payload, context);
      if (refused) return refused;
      break;
    }
    case 'partnership': {
      const { action, partnershipId } = payload.change;
      const exists = context.partnership?.partnershipId === partnershipId;
      if (action === 'establish') return exists ? domainError('PARTNERSHIP_EXISTS', { partnershipId }) : null;
      return exists ? null : domainError('PARTNERSHIP_NOT_FOUND', { partnershipId });
    }
    case 'budgetChange': {
      const stewardGroupIds = payload.changes.flatMap((change) =>
        (change.op === 'createLine' || change.op === 'reassignLine') && change.stewardGroupId !== null
          ? [change.stewardGroupId]
          : [],
      );
      for (const groupId of stewardGroupIds) {
        const group = context.workingGroups.find((candidate) => candidate.groupId === groupId);
        if (!group) return domainError('WORKING_GROUP_NOT_FOUND', { groupId });
        if (group.status === 'dissolved') return domainError('WORKING_GROUP_DISSOLVED', { groupId });
      }
      break;
    }
  }
  const effect = budgetEffectOf(payload);
  if (!effect) return null;
  const budget = context.budget?.budgetId === effect.budgetId ? context.budget : null;
  if (effect.opening && budget) return domainError('BUDGET_ALREADY_OPEN', { budgetId: effect.budgetId });
  if (!effect.opening && !budget) return domainError('BUDGET_NOT_FOUND', { budgetId: effect.budgetId });
  if (!effect.opening && effect.changes.length === 0) return domainError('EMPTY_CHANGE');
  const book: BudgetBook = budget ?? { lines: {}, grantCommitments: {} };
  const applied = applyBudgetChanges(book, effect.changes);
  return isDomainError(applied) ? applied : null;
}
