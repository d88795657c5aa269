// The shapes the read models answer, by their public names. Each is defined (or inferred from its zod
// schema) in its read model's folder, `read-models/<name>/schema.ts`; this index keeps the names other
// packages import from `@concord/projections`.

export type { AuditEntry } from '../read-models/audit/schema.ts';
export type {
  BudgetDetail,
  BudgetLineView,
  BudgetSummary,
  LineChange,
  LineChangeKind,
} from '../read-models/budget/schema.ts';
export type { CharterView } from '../read-models/charter/schema.ts';
export type { CheckpointView } from '../read-models/checkpoint.ts';
export type {
  GrantApplicationView,
  GrantCallDetail,
  GrantCallView,
} from '../read-models/grants/schema.ts';
export type { MemberDetail, MemberView, RepresentativeView } from '../read-models/members/schema.ts';
export type {
  CheckInAnswerView,
  CheckInRoundView,
  PartnerContactView,
  PartnershipActionView,
  PartnershipDetail,
  PartnershipSummary,
  ReflectionView,
} from '../read-models/partnerships/schema.ts';
export type { BudgetTotals, DecidingBody } from '../read-models/primitives.ts';
export type {
  ProposalDetail,
  ProposalStatus,
  ProposalSummary,
  StanceView,
  TranslationView,
} from '../read-models/proposals/schema.ts';
export type { BudgetQuestionView } from '../read-models/questions/schema.ts';
export type {
  GroupMemberView,
  WorkingGroupDetail,
  WorkingGroupView,
} from '../read-models/working-groups/schema.ts';
