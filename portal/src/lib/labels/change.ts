import { m } from '../paraglide/messages.js';
import { labeler } from './labeler.ts';

export const changeLabel = labeler({
  created: m.change_created,
  allocationChanged: m.change_allocation,
  spent: m.change_spent,
  grantCommitted: m.change_grant_committed,
  grantDisbursed: m.change_grant_disbursed,
  stewardshipChanged: m.change_stewardship,
  expenseSpent: m.change_expense_spent,
  expensePaid: m.change_expense_paid,
});
