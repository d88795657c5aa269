import { attachmentsView } from './attachments/projection.ts';
import { auditView } from './audit/projection.ts';
import { budgetView } from './budget/projection.ts';
import { charterView } from './charter/projection.ts';
import { expensesView } from './expenses/projection.ts';
import { grantsView } from './grants/projection.ts';
import { membersView } from './members/projection.ts';
import { partnershipsView } from './partnerships/projection.ts';
import { proposalsView } from './proposals/projection.ts';
import { questionsView } from './questions/projection.ts';
import type { View } from './view.ts';
import { workingGroupsView } from './working-groups/projection.ts';

/**
 * Every read model's event handlers, in the order each event is applied to them; the audit trail last, so
 * it sees the result. Adding a read model is a folder beside this file and one line here.
 */
export const views: readonly View[] = [
  charterView,
  membersView,
  workingGroupsView,
  budgetView,
  questionsView,
  expensesView,
  grantsView,
  proposalsView,
  partnershipsView,
  attachmentsView,
  auditView,
];
