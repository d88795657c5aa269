import { z } from 'zod';
import { budgetEventSchema } from './budget/events.ts';
import { charterEventSchema } from './charter/events.ts';
import { grantCallEventSchema } from './grant/events.ts';
import { historyEventSchema } from './history/events.ts';
import { logEventSchema } from './log/events.ts';
import { memberEventSchema } from './member/events.ts';
import { partnershipEventSchema } from './partnership/events.ts';
import { personEventSchema } from './person/events.ts';
import { proposalEventSchema } from './proposal/events.ts';
import { workingGroupEventSchema } from './working-group/events.ts';

/** Every event of the domain, by aggregate. */
export const eventSchemasByAggregate = {
  charter: charterEventSchema,
  member: memberEventSchema,
  workingGroup: workingGroupEventSchema,
  budget: budgetEventSchema,
  grantCall: grantCallEventSchema,
  proposal: proposalEventSchema,
  person: personEventSchema,
  history: historyEventSchema,
  log: logEventSchema,
  partnership: partnershipEventSchema,
} as const;

/** One discriminated union of all domain events: `{ type, data }`. */
export const domainEventSchema = z.discriminatedUnion('type', [
  ...charterEventSchema.options,
  ...memberEventSchema.options,
  ...workingGroupEventSchema.options,
  ...budgetEventSchema.options,
  ...grantCallEventSchema.options,
  ...proposalEventSchema.options,
  ...personEventSchema.options,
  ...historyEventSchema.options,
  ...logEventSchema.options,
  ...partnershipEventSchema.options,
]);
export type DomainEvent = z.infer<typeof domainEventSchema>;
export type EventType = DomainEvent['type'];

/**
 * The current schema version of each event type. Raise it when an event's shape changes, and register an
 * upcaster from the previous version in `upcasting.ts`. A new field with a default is the one change that
 * needs neither: the schema fills it in for events stored before it, and readers in bulk read such types
 * through the schema (`readableAsStored`, ADR 0031).
 */
export const eventSchemaVersions = {
  CoalitionFounded: 1,
  DecisionRulesChanged: 1,
  SharedValuesRevised: 1,
  SopAdopted: 1,
  SopRetired: 1,
  MemberAdmitted: 1,
  MemberDeparted: 1,
  RepresentativeInvited: 2,
  RepresentativeJoined: 1,
  RepresentativeConfirmed: 1,
  RepresentativeAppointed: 1,
  RepresentativeRemoved: 1,
  MemberProfileUpdated: 1,
  WorkingGroupCreated: 1,
  WorkingGroupMandateSet: 1,
  WorkingGroupLeadsSet: 1,
  WorkingGroupDissolved: 1,
  WorkingGroupJoined: 1,
  WorkingGroupLeft: 1,
  TimeCommitted: 1,
  BudgetOpened: 1,
  BudgetLineCreated: 1,
  BudgetLineAllocationChanged: 1,
  BudgetLineSpent: 1,
  GrantFundsCommitted: 1,
  GrantFundsDisbursed: 1,
  BudgetLineStewardshipChanged: 1,
  BudgetQuestionRaised: 1,
  BudgetQuestionAnswered: 1,
  ExpenseSubmitted: 1,
  ExpenseApproved: 1,
  ExpenseSpent: 1,
  ExpenseRejected: 1,
  ExpenseWithdrawn: 1,
  ExpensePaid: 1,
  GrantCallPublished: 1,
  GrantApplicationSubmitted: 1,
  GrantApplicationReviewed: 1,
  GrantAwarded: 1,
  GrantDisbursed: 1,
  ProposalDrafted: 1,
  ProposalAmended: 1,
  ProposalOpened: 1,
  ProposalCommented: 1,
  StanceTaken: 2,
  TranslationAdded: 1,
  ProposalWithdrawn: 1,
  ProposalDecisionScheduled: 1,
  UndecidedReminded: 1,
  ProposalSecondRoundStarted: 1,
  ProposalDecided: 1,
  ProposalExecuted: 1,
  ProposalExecutionFailed: 1,
  PersonForgotten: 1,
  HistoryRewritten: 1,
  LogKeyPublished: 1,
  WitnessKeyRegistered: 1,
  WitnessKeyRevoked: 1,
  PartnershipEstablished: 1,
  PartnershipAgreementChanged: 1,
  PartnerContactInvited: 1,
  PartnerContactJoined: 1,
  PartnerContactRemoved: 1,
  CheckInRoundOpened: 1,
  CheckInAnswered: 1,
  CheckInRoundClosed: 1,
  PartnershipActionProposed: 1,
  PartnershipActionAgreedTo: 1,
  PartnershipActionAgreed: 1,
  PartnershipActionFollowedUp: 1,
  ReflectionRecorded: 1,
} as const satisfies Record<EventType, number>;
