import type { DecisionRules } from '../charter/rules.ts';
import { type Decider, type Decision, validating } from '../decider.ts';
import { type DomainError, domainError, isDomainError } from '../errors.ts';
import type { Actor } from '../shared/actor.ts';
import { sameValue } from '../shared/equality.ts';
import { addHours, isBefore } from '../shared/time.ts';
import { checkAdmissible } from './admissibility.ts';
import { type ProposalCommand, proposalCommandSchema } from './commands.ts';
import type { DecisionContext } from './context.ts';
import type { ProposalEvent } from './events.ts';
import { computeOutcome, type Outcome, type Tally } from './outcome.ts';
import type { ProposalPayload } from './payload.ts';
import { type Recusal, recusalsFor } from './recusal.ts';
import { decidingBodyMembers, type Routing, routeProposal, sameBody } from './routing.ts';
import { type Stance, stanceNeedsReason } from './stance.ts';
import type { TranslatedItem } from './translation.ts';

/** Where a proposal is in its lifecycle. */
export type ProposalStatus =
  | 'draft'
  | 'open'
  | 'adopted'
  | 'notAdopted'
  | 'withdrawn'
  | 'executed'
  | 'executionFailed';

/** An organization's current stance and who gave it. */
export interface StanceRecord {
  readonly organizationId: string;
  readonly personId: string;
  readonly stance: Stance;
  readonly reason: string | null;
  readonly revision: number;
  readonly at: string;
}

/** What was fixed when the proposal opened (routing and recusals follow an amendment of the payload). */
export interface OpenedFacts {
  readonly openedAt: string;
  readonly rules: DecisionRules;
  readonly routing: Routing;
  readonly memberIds: readonly string[];
  readonly recusals: readonly Recusal[];
  readonly urgentReason: string | null;
}

/** A proposal (stream `proposal-<proposalId>`). */
export type ProposalState =
  | { readonly status: 'none' }
  | {
      readonly status: ProposalStatus;
      readonly proposalId: string;
      readonly title: string;
      readonly body: string;
      readonly payload: ProposalPayload;
      readonly proposer: { readonly personId: string; readonly organizationId: string | null };
      readonly revision: number;
      readonly opened: OpenedFacts | null;
      readonly round: 1 | 2;
      readonly feedbackEndsAt: string | null;
      readonly stances: Readonly<Record<string, StanceRecord>>;
      readonly commentIds: readonly string[];
      /** How many stances each organization has taken: the version of its current reason. */
      readonly stanceCounts: Readonly<Record<string, number>>;
      readonly scheduledFor: string | null;
      /** When the undecided organizations were last reminded (at most once a day). */
      readonly remindedAt: string | null;
      readonly decision: {
        readonly outcome: 'adopted' | 'notAdopted';
        readonly reason: 'consensus' | 'everyoneHasSpoken' | 'fallbackSupermajority' | 'blocked';
        readonly tally: Tally;
        readonly at: string;
      } | null;
    };

type Existing = Exclude<ProposalState, { status: 'none' }>;
type Opened = Existing & { readonly opened: OpenedFacts; readonly feedbackEndsAt: string };

/**
 * The computed outcome of an opened proposal at `now` (null before it opens). Shows members, live, whether
 * it would be adopted and why not yet.
 */
export function outcomeOf(state: ProposalState, now: string): Outcome | null {
  if (state.status === 'none' || !state.opened || !state.feedbackEndsAt) return null;
  return computeOutcome({
    rules: state.opened.rules,
    memberIds: state.opened.memberIds,
    recusedIds: state.opened.recusals.map((recusal) => recusal.organizationId),
    stances: Object.values(state.stances),
    revision: state.revision,
    round: state.round,
    feedbackEndsAt: state.feedbackEndsAt,
    now,
  });
}

/** A reminder of the undecided organizations is sent at most once in this many hours per proposal. */
const REMINDER_INTERVAL_HOURS = 24;

/**
 * The deciding body's member organizations, in the order recorded at opening, that may take a stance
 * (not recused) and have none on the current revision: the ones a reminder is for.
 */
function undecidedOrganizations(state: Opened): string[] {
  const recused = new Set(state.opened.recusals.map((recusal) => recusal.organizationId));
  return state.opened.memberIds.filter(
    (id) => !recused.has(id) && state.stances[id]?.revision !== state.revision,
  );
}

/**
 * Whether the actor may act as the proposer: the proposing organization's representatives (whoever
 * represents it now), or the facilitator who proposed. Judged by the actor's organization at the time of
 * the command: a person who proposed for an organization they no longer represent no longer may.
 */
function isProposer(actor: Actor, proposer: Existing['proposer']): boolean {
  if (proposer.organizationId !== null) {
    return actor.role === 'representative' && actor.organizationId === proposer.organizationId;
  }
  return actor.role === 'facilitator' && actor.personId === proposer.personId;
}

function eligibleCount(memberIds: readonly string[], recusals: readonly Recusal[]): number {
  return memberIds.filter((id) => !recusals.some((recusal) => recusal.organizationId === id)).length;
}

function feedbackHours(rules: DecisionRules, urgentReason: string | null): number {
  return urgentReason !== null && rules.urgentPath
    ? rules.urgentPath.minimumFeedbackHours
    : rules.minimumFeedbackHours;
}

/** Routing and recusals for a payload, or why it cannot be put to a decision. */
function evaluate(
  payload: ProposalPayload,
  context: DecisionContext,
): { routing: Routing; recusals: Recusal[] } | DomainError {
  return (
    checkAdmissible(payload, context) ?? {
      routing: routeProposal(payload, context),
      recusals: recusalsFor(payload, context),
    }
  );
}

/**
 * The current version of a translatable item (see `translatedVersionSchema`), or null when the proposal
 * has no such comment, or the organization no stance with a reason.
 */
function versionOf(state: Existing, item: TranslatedItem): number | null {
  switch (item.kind) {
    case 'proposal':
      return state.revision;
    case 'comment':
      return state.commentIds.includes(item.commentId) ? 1 : null;
    case 'stanceReason':
      return state.stances[item.organizationId]?.reason
        ? (state.stanceCounts[item.organizationId] ?? null)
        : null;
  }
}

function decide(command: ProposalCommand, state: ProposalState): Decision<ProposalEvent> {
  const { actor, now: at, proposalId } = command;

  if (command.type === 'DraftProposal') {
    if (state.status !== 'none') return domainError('PROPOSAL_EXISTS', { proposalId });
    const { title, body, payload, attachments } = command;
    const organizationId = actor.role === 'representative' ? actor.organizationId : null;
    const proposer = { personId: actor.personId, organizationId };
    return [
      { type: 'ProposalDrafted', data: { proposalId, title, body, payload, attachments, proposer, at } },
    ];
  }
  if (state.status === 'none') return domainError('PROPOSAL_NOT_FOUND', { proposalId });
  const editable = state.status === 'draft' || state.status === 'open';

  switch (command.type) {
    case 'AmendProposal': {
      if (!editable) return domainError('PROPOSAL_NOT_EDITABLE');
      if (!isProposer(actor, state.proposer)) return domainError('NOT_THE_PROPOSER');
      const { title, body, payload, attachments, reason, context } = command;
      if (payload.kind !== state.payload.kind) return domainError('PROPOSAL_KIND_CHANGED');
      const amended = {
        proposalId,
        revision: state.revision + 1,
        title,
        body,
        payload,
        attachments,
        amendedBy: actor.personId,
        reason,
        at,
      };
      if (!state.opened || sameValue(payload, state.payload)) {
        return [{ type: 'ProposalAmended', data: { ...amended, routing: null, recusals: null } }];
      }
      if (!context) return domainError('DECISION_FACTS_REQUIRED');
      const evaluated = evaluate(payload, context);
      if (isDomainError(evaluated)) return evaluated;
      if (!sameBody(evaluated.routing.decidingBody, state.opened.routing.decidingBody)) {
        return domainError('AMENDMENT_WOULD_REROUTE', { routing: evaluated.routing });
      }
      if (eligibleCount(state.opened.memberIds, evaluated.recusals) === 0) {
        return domainError('NO_ELIGIBLE_DECIDERS');
      }
      const { routing, recusals } = evaluated;
      return [{ type: 'ProposalAmended', data: { ...amended, routing, recusals } }];
    }
    case 'OpenProposal': {
      if (state.status !== 'draft') return domainError('PROPOSAL_NOT_DRAFT');
      if (!isProposer(actor, state.proposer)) return domainError('NOT_THE_PROPOSER');
      const { urgentReason, context } = command;
      const { rules } = context;
      if (urgentReason !== null && !rules.urgentPath) return domainError('URGENT_PATH_NOT_ALLOWED');
      const evaluated = evaluate(state.payload, context);
      if (isDomainError(evaluated)) return evaluated;
      const memberIds = decidingBodyMembers(evaluated.routing.decidingBody, context);
      if (eligibleCount(memberIds, evaluated.recusals) === 0) return domainError('NO_ELIGIBLE_DECIDERS');
      return [
        {
          type: 'ProposalOpened',
          data: {
            proposalId,
            rules,
            routing: evaluated.routing,
            memberIds,
            recusals: evaluated.recusals,
            urgentReason,
            feedbackEndsAt: addHours(at, feedbackHours(rules, urgentReason)),
            openedBy: actor.personId,
            at,
          },
        },
      ];
    }
    case 'CommentOnProposal': {
      if (!editable) return domainError('PROPOSAL_NOT_OPEN');
      const { commentId, text, attachments } = command;
      if (state.commentIds.includes(commentId)) return domainError('COMMENT_EXISTS', { commentId });
      const { personId, organizationId } = actor;
      return [
        {
          type: 'ProposalCommented',
          data: { proposalId, commentId, text, attachments, personId, organizationId, at },
        },
      ];
    }
    case 'TakeStance': {
      if (state.status !== 'open' || !state.opened) return domainError('PROPOSAL_NOT_OPEN');
      const organizationId = actor.organizationId as string;
      if (!state.opened.memberIds.includes(organizationId)) return domainError('NOT_IN_DECIDING_BODY');
      if (state.opened.recusals.some((recusal) => recusal.organizationId === organizationId)) {
        return domainError('RECUSED');
      }
      const { stance, reason } = command;
      if (stanceNeedsReason(stance) && reason === null) return domainError('REASON_REQUIRED', { stance });
      return [
        {
          type: 'StanceTaken',
          data: {
            proposalId,
            organizationId,
            personId: actor.personId,
            stance,
            reason,
            revision: state.revision,
            round: state.round,
            at,
          },
        },
      ];
    }
    case 'AddTranslation': {
      if (state.status === 'withdrawn') return domainError('PROPOSAL_WITHDRAWN');
      const { item, version, sourceLanguage, language, title, text } = command;
      const current = versionOf(state, item);
      if (current === null) return domainError('TRANSLATED_ITEM_NOT_FOUND', { item });
      if ((item.kind === 'proposal') !== (title !== null)) return domainError('TRANSLATION_TITLE_MISMATCH');
      if (sourceLanguage === language) return domainError('TRANSLATION_SAME_LANGUAGE', { language });
      if (version !== current) return domainError('TRANSLATION_OUTDATED', { version: current });
      return [
        {
          type: 'TranslationAdded',
          data: {
            proposalId,
            item,
            version,
            sourceLanguage,
            language,
            title,
            text,
            personId: actor.personId,
            organizationId: actor.organizationId as string,
            at,
          },
        },
      ];
    }
    case 'WithdrawProposal': {
      if (!editable) return domainError('PROPOSAL_NOT_EDITABLE');
      if (!isProposer(actor, state.proposer)) return domainError('NOT_THE_PROPOSER');
      return [
        {
          type: 'ProposalWithdrawn',
          data: { proposalId, reason: command.reason, withdrawnBy: actor.personId, at },
        },
      ];
    }
    case 'ScheduleDecision': {
      if (state.status !== 'open' || !state.feedbackEndsAt) return domainError('PROPOSAL_NOT_OPEN');
      const { scheduledFor, reason } = command;
      if (isBefore(scheduledFor, state.feedbackEndsAt) || isBefore(scheduledFor, at)) {
        return domainError('SCHEDULED_TOO_EARLY', { feedbackEndsAt: state.feedbackEndsAt });
      }
      return [
        {
          type: 'ProposalDecisionScheduled',
          data: { proposalId, scheduledFor, scheduledBy: actor.personId, reason, at },
        },
      ];
    }
    case 'RemindUndecided': {
      if (state.status !== 'open' || !state.opened) return domainError('PROPOSAL_NOT_OPEN');
      if (state.remindedAt !== null && isBefore(at, addHours(state.remindedAt, REMINDER_INTERVAL_HOURS))) {
        return domainError('REMINDED_RECENTLY', {
          nextReminderAt: addHours(state.remindedAt, REMINDER_INTERVAL_HOURS),
        });
      }
      const organizationIds = undecidedOrganizations(state as Opened);
      if (organizationIds.length === 0) return domainError('NOBODY_UNDECIDED');
      return [
        {
          type: 'UndecidedReminded',
          data: { proposalId, organizationIds, remindedBy: actor.personId, at },
        },
      ];
    }
    case 'DecideProposal': {
      if (state.status !== 'open') return domainError('PROPOSAL_NOT_OPEN');
      const opened = state as Opened;
      const outcome = outcomeOf(opened, at) as Outcome;
      const { tally } = outcome;
      if (outcome.status === 'open') {
        switch (outcome.reason) {
          case 'feedbackWindowOpen':
            return domainError('FEEDBACK_WINDOW_OPEN', { feedbackEndsAt: opened.feedbackEndsAt });
          case 'quorumNotMet':
            return domainError('QUORUM_NOT_MET', { tally });
          case 'secondRoundRequired': {
            const feedbackEndsAt = addHours(
              at,
              feedbackHours(opened.opened.rules, opened.opened.urgentReason),
            );
            return [{ type: 'ProposalSecondRoundStarted', data: { proposalId, feedbackEndsAt, tally, at } }];
          }
        }
      }
      return [
        {
          type: 'ProposalDecided',
          data: {
            proposalId,
            outcome: outcome.status,
            reason: outcome.reason,
            tally,
            decidingBody: opened.opened.routing.decidingBody,
            revision: state.revision,
            payload: state.payload,
            at,
          },
        },
      ];
    }
    case 'RecordProposalExecution':
    case 'RecordExecutionFailure': {
      const { execution } = command;
      if (execution.proposalId !== proposalId) return domainError('CONTEXT_MISMATCH', { proposalId });
      if (state.status === 'executed' || state.status === 'executionFailed') {
        return domainError('DECISION_ALREADY_EXECUTED', { proposalId });
      }
      if (state.status !== 'adopted') return domainError('PROPOSAL_NOT_ADOPTED');
      const { decisionEventId } = execution;
      return command.type === 'RecordProposalExecution'
        ? [{ type: 'ProposalExecuted', data: { proposalId, decisionEventId, at } }]
        : [
            {
              type: 'ProposalExecutionFailed',
              data: { proposalId, decisionEventId, failure: command.failure, at },
            },
          ];
    }
  }
}

function evolve(state: ProposalState, event: ProposalEvent): ProposalState {
  if (event.type === 'ProposalDrafted') {
    const { proposalId, title, body, payload, proposer } = event.data;
    return {
      status: 'draft',
      proposalId,
      title,
      body,
      payload,
      proposer,
      revision: 1,
      opened: null,
      round: 1,
      feedbackEndsAt: null,
      stances: {},
      commentIds: [],
      stanceCounts: {},
      scheduledFor: null,
      remindedAt: null,
      decision: null,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'ProposalAmended': {
      const { revision, title, body, payload, routing, recusals } = event.data;
      const opened =
        state.opened && routing && recusals ? { ...state.opened, routing, recusals } : state.opened;
      return { ...state, revision, title, body, payload, opened };
    }
    case 'ProposalOpened': {
      const { rules, routing, memberIds, recusals, urgentReason, feedbackEndsAt, at } = event.data;
      return {
        ...state,
        status: 'open',
        opened: { openedAt: at, rules, routing, memberIds, recusals, urgentReason },
        feedbackEndsAt,
      };
    }
    case 'ProposalCommented':
      return { ...state, commentIds: [...state.commentIds, event.data.commentId] };
    case 'StanceTaken': {
      const { organizationId, personId, stance, reason, revision, at } = event.data;
      return {
        ...state,
        stances: {
          ...state.stances,
          [organizationId]: { organizationId, personId, stance, reason, revision, at },
        },
        stanceCounts: {
          ...state.stanceCounts,
          [organizationId]: (state.stanceCounts[organizationId] ?? 0) + 1,
        },
      };
    }
    case 'TranslationAdded':
      // Translations change nothing the decider decides on: they live in the read models.
      return state;
    case 'ProposalWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'ProposalDecisionScheduled':
      return { ...state, scheduledFor: event.data.scheduledFor };
    case 'UndecidedReminded':
      return { ...state, remindedAt: event.data.at };
    case 'ProposalSecondRoundStarted':
      return { ...state, round: 2, feedbackEndsAt: event.data.feedbackEndsAt, scheduledFor: null };
    case 'ProposalDecided': {
      const { outcome, reason, tally, at } = event.data;
      return { ...state, status: outcome, decision: { outcome, reason, tally, at } };
    }
    case 'ProposalExecuted':
      return { ...state, status: 'executed' };
    case 'ProposalExecutionFailed':
      return { ...state, status: 'executionFailed' };
  }
}

/**
 * The proposal decider: draft → open for feedback → decided (adopted | not adopted) | withdrawn, then
 * executed. Routing, recusals and the outcome are computed, never chosen.
 */
export const proposalDecider: Decider<ProposalCommand, ProposalEvent, ProposalState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide: validating(proposalCommandSchema, decide),
};
