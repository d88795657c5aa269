// Which forms a reader's organization gets on an expense (ADR 0022's rules, read the way the API applies
// them: recusal is the domain's own rule), so that pages offer exactly what the API would accept.
import { recusedFromExpense } from '@concord/domain';
import type { Reply } from './api';
import { may } from './may';

type Person = { role: string; organizationId: string | null } | null | undefined;
type ExpenseView = Reply<'expenses'>['expenses'][number];

/** What the reader's organization may do with an expense: the forms shown under it. */
export interface ExpenseActs {
  approve: boolean;
  reject: boolean;
  withdraw: boolean;
  pay: boolean;
}

/**
 * The forms the API would accept from this person on this expense: representatives only; the approving
 * group's members approve, reject and record the payment, never on an expense their organization
 * submitted or is paid by (recusal); the submitting organization withdraws.
 */
export function actsOn(
  expense: ExpenseView,
  person: Person,
  approverMembers: readonly string[],
): ExpenseActs {
  const organizationId = person?.organizationId ?? null;
  const none = { approve: false, reject: false, withdraw: false, pay: false };
  if (!organizationId || !may(person, 'ApproveExpense')) return none;
  const approver = approverMembers.includes(organizationId);
  const recused = recusedFromExpense(organizationId, {
    submittedBy: expense.submittedBy.organizationId,
    payeeOrganizationId: expense.payeeOrganizationId,
  });
  const waiting = expense.status === 'submitted';
  const judges = waiting && approver && !recused;
  return {
    approve: judges && !expense.approvals.some((approval) => approval.organizationId === organizationId),
    reject: judges,
    withdraw: waiting && expense.submittedBy.organizationId === organizationId,
    pay: expense.status === 'spent' && approver,
  };
}
