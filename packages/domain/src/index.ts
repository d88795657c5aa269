/**
 * @concord/domain: Concord's governance rules as pure code. Commands and events are zod schemas; each
 * aggregate is a decider (`initialState`, `evolve`, `decide`); facts from other aggregates arrive in a
 * command's `context`; adopted decisions are executed by `executionCommandsFor`. No I/O, no clock.
 */

// All commands and events; streams; versions
export { decideOn, deciderFor, deciders } from './aggregates.ts';
// Budget
export { applyBudgetChange, applyBudgetChanges, type BudgetBook } from './budget/apply.ts';
export {
  type BudgetChange,
  type BudgetOpening,
  budgetChangeSchema,
  budgetOpeningSchema,
  type ProposableBudgetChange,
  proposableBudgetChangeSchema,
} from './budget/changes.ts';
export { type BudgetCommand, budgetCommandSchema } from './budget/commands.ts';
export { type BudgetQuestion, type BudgetState, budgetDecider } from './budget/decider.ts';
export { type BudgetEvent, type BudgetLineEvent, budgetEventSchema } from './budget/events.ts';
export { type Expense, recusedFromExpense } from './budget/expenses.ts';
export { type BudgetFacts, budgetFacts, budgetFactsSchema } from './budget/facts.ts';
export {
  available,
  type BudgetCategory,
  type BudgetLine,
  budgetCategorySchema,
  budgetLineSchema,
  type GrantCommitment,
} from './budget/line.ts';
// Charter
export { type CharterCommand, charterCommandSchema } from './charter/commands.ts';
export { type CharterState, charterDecider, type VersionedSop } from './charter/decider.ts';
export { type Sop, sopSchema } from './charter/documents.ts';
export { type CharterEvent, type CoalitionFounded, charterEventSchema } from './charter/events.ts';
export {
  checkDecisionRules,
  type DecisionRules,
  decisionRulesSchema,
  defaultDecisionRules,
} from './charter/rules.ts';
export {
  aggregateOf,
  type CommandType,
  commandSchemasByAggregate,
  type DomainCommand,
  domainCommandSchema,
  streamIdForCommand,
} from './commands.ts';
// The decider pattern, permissions and errors
export { type Decider, type Decision, fold } from './decider.ts';
export {
  type DomainError,
  type DomainErrorCode,
  domainError,
  errorCatalogue,
  isDomainError,
} from './errors.ts';
export {
  type DomainEvent,
  domainEventSchema,
  type EventType,
  eventSchemasByAggregate,
  eventSchemaVersions,
} from './events.ts';
// Grants
export { type GrantCallCommand, grantCallCommandSchema } from './grant/commands.ts';
export {
  type GrantApplication,
  type GrantCallState,
  type GrantReview,
  grantCallDecider,
} from './grant/decider.ts';
export { type GrantCallEvent, grantCallEventSchema } from './grant/events.ts';
export {
  type GrantApplicationFacts,
  grantApplicationFacts,
  grantApplicationFactsSchema,
} from './grant/facts.ts';
// People and the history itself
export { type HistoryCommand, historyCommandSchema } from './history/commands.ts';
export { type HistoryState, historyDecider } from './history/decider.ts';
export { type HistoryEvent, historyEventSchema } from './history/events.ts';
// The witnessed log: the instance's key, member organizations' witness keys
export { type LogCommand, logCommandSchema } from './log/commands.ts';
export { type LogState, logDecider } from './log/decider.ts';
export { type LogEvent, logEventSchema } from './log/events.ts';
export { keyNameOf, verifierKeySchema } from './log/keys.ts';
// Member organizations
export {
  type AdmissionBasis,
  type AppointmentBasis,
  type MemberCommand,
  memberCommandSchema,
} from './member/commands.ts';
export {
  activeRepresentativeIds,
  type MemberState,
  memberDecider,
  type Representative,
} from './member/decider.ts';
export { type MemberEvent, memberEventSchema } from './member/events.ts';
export { type MemberProfile, memberProfileSchema } from './member/profile.ts';
// Partnerships: agreements, check-ins, actions, shared learning
export {
  type Agreement,
  agreementSchema,
  checkInEveryMonthsSchema,
  type Partner,
  partnerKindSchema,
  partnerSchema,
  partnersSchema,
} from './partnership/agreement.ts';
export {
  type PartnershipCommand,
  partnershipCommandSchema,
  pillarAnswerSchema,
  pillarAnswersSchema,
  reflectionAboutSchema,
} from './partnership/commands.ts';
export {
  type CheckInAnswer,
  type CheckInRound,
  type PartnershipAction,
  type PartnershipState,
  partiesOf,
  partnershipDecider,
  partnershipFacts,
} from './partnership/decider.ts';
export { type PartnershipEvent, partnershipEventSchema } from './partnership/events.ts';
export {
  ELEMENTS,
  type ElementId,
  elementOf,
  elementSchema,
  PILLARS,
  type PillarId,
  pillarSchema,
  type Rating,
  ratingSchema,
} from './partnership/pillars.ts';
export {
  type AnswerForResults,
  COALITION_PARTY,
  changeSince,
  elementMean,
  meanOf,
  type PartyResult,
  POOLING_THRESHOLD,
  perceptionGap,
  type RoundResults,
  resultFor,
  roundResults,
  roundResultsSchema,
} from './partnership/results.ts';
export {
  addMonths,
  type CheckInStep,
  checkInStep,
  SCHEDULED_ROUND_DAYS,
} from './partnership/schedule.ts';
export { allowedCommands, checkPermission, rolesAllowedTo } from './permissions.ts';
export { type PersonCommand, personCommandSchema } from './person/commands.ts';
export { type PersonState, personDecider } from './person/decider.ts';
export { type PersonEvent, type PersonForgotten, personEventSchema } from './person/events.ts';
export {
  type CommandDraft,
  commandContext,
  decisionContextOf,
  type FactLoader,
  type FactRequest,
  runRule,
  runRuleNow,
  withContext,
  withContextNow,
} from './process/command-context.ts';
export {
  checkEffects,
  type EffectCheck,
  type EffectProblem,
  type EffectProblemKind,
  type EffectReport,
  effectReport,
  finishEffects,
  initialEffectCheck,
  MAX_LISTED_PROBLEMS,
  NON_DECISION_PROCESSES,
  type StoredHistoryEvent,
  verifyEffects,
} from './process/effects.ts';
// Process steps (reactions)
export {
  executionCommandsFor,
  executionFailureCommandFor,
  type StoredDecision,
} from './process/execution.ts';
export { forgettingCommandsFor } from './process/forgetting.ts';
export { foundingCommandsFor, type StoredFounding } from './process/founding.ts';
// Proposals and the decision process
export { checkAdmissible } from './proposal/admissibility.ts';
export { type ProposalCommand, proposalCommandSchema } from './proposal/commands.ts';
export { type DecisionContext, decisionContextSchema } from './proposal/context.ts';
export {
  type OpenedFacts,
  outcomeOf,
  type ProposalState,
  type ProposalStatus,
  proposalDecider,
  type StanceRecord,
} from './proposal/decider.ts';
export { type ProposalDecided, type ProposalEvent, proposalEventSchema } from './proposal/events.ts';
export { type Forecast, forecastOutcome } from './proposal/forecast.ts';
export { MAX_MENTIONS, mentionedPersonIds } from './proposal/mentions.ts';
export {
  type CountedStance,
  computeOutcome,
  type Outcome,
  type OutcomeInput,
  outcomeSchema,
  type Tally,
} from './proposal/outcome.ts';
export {
  type BudgetEffect,
  budgetEffectOf,
  type ProposalKind,
  type ProposalPayload,
  proposalPayloadSchema,
} from './proposal/payload.ts';
export { type Recusal, recusalSchema, recusalsFor } from './proposal/recusal.ts';
export {
  type DecidingBody,
  decidingBodyMembers,
  decidingBodySchema,
  type Routing,
  type RoutingReason,
  routeBudgetChange,
  routeProposal,
  routingSchema,
} from './proposal/routing.ts';
export { type Stance, stanceSchema } from './proposal/stance.ts';
export {
  isWellFormedLanguageTag,
  languageTagSchema,
  type TranslatedItem,
  translatedItemKey,
  translatedItemSchema,
  translatedVersionSchema,
} from './proposal/translation.ts';
// Shared vocabulary
export { type Actor, type ActorRole, actorSchema, systemActor } from './shared/actor.ts';
export {
  type AttachmentRef,
  attachmentRefSchema,
  attachmentsSchema,
  MAX_ATTACHMENTS,
} from './shared/attachment.ts';
export { attachmentFields, type CitingEventType, citedAttachments } from './shared/cited-attachments.ts';
export { type Execution, executionSchema } from './shared/execution.ts';
export {
  amountSchema,
  currencySchema,
  hasBidiReordering,
  hasControlCharacters,
  hasVisibleCharacters,
  idSchema,
  isWellFormedText,
  LIST_LIMITS,
  MONEY_CEILING,
  nameSchema,
  optionalReasonSchema,
  type Ratio,
  ratioSchema,
  textSchema,
  timestampSchema,
  titleSchema,
} from './shared/primitives.ts';
export { InMemoryStreamStates } from './stream-states.ts';
export { type AggregateName, streamIdFor } from './streams.ts';
export {
  personalDataVersions,
  readableAsStored,
  type Upcaster,
  upcast,
  upcasters,
} from './upcasting.ts';
// Working groups
export { type WorkingGroupCommand, workingGroupCommandSchema } from './working-group/commands.ts';
export {
  type GroupMembership,
  type WorkingGroupState,
  workingGroupDecider,
} from './working-group/decider.ts';
export { type WorkingGroupEvent, workingGroupEventSchema } from './working-group/events.ts';
export {
  checkSteward,
  type WorkingGroupFacts,
  workingGroupFacts,
  workingGroupFactsSchema,
} from './working-group/facts.ts';
export {
  approvalsNeeded,
  type ExpensePolicy,
  expensePolicySchema,
  type Limit,
  type LineRef,
  limitPassed,
  limitSchema,
  type Mandate,
  mandateSchema,
} from './working-group/mandate.ts';
