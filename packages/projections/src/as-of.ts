import {
  type BudgetEvent,
  type BudgetState,
  budgetDecider,
  type DecisionRules,
  type DomainEvent,
  fold,
  type GrantCommitment,
  type Mandate,
  type MemberEvent,
  type MemberProfile,
  type MemberState,
  memberDecider,
  type Outcome,
  outcomeOf,
  type ProposalEvent,
  type ProposalPayload,
  type ProposalState,
  proposalDecider,
  type Recusal,
  type Routing,
  streamIdFor,
  type WorkingGroupEvent,
  type WorkingGroupState,
  workingGroupDecider,
} from '@concord/domain';
import { type EventStore, type RecordedEvent, StreamNotFoundError } from '@concord/event-store';
import { decode } from './projector/decode.ts';
import { type BudgetTotals, sumTotals } from './read-models/primitives.ts';

/** A moment of history: a global position (everything up to and including it) or a recording time. */
export type AsOf = { position: number } | { time: Date };

/** Where a historical view stands: the last event it includes. */
export interface AsOfPoint {
  /** The global position of the last event included (0: before the first event). */
  position: number;
  recordedAt: string | null;
}

export interface BudgetAsOf {
  asOf: AsOfPoint;
  budgetId: string;
  name: string;
  currency: string;
  fiscalPeriod: { start: string; end: string };
  totals: BudgetTotals;
  lines: {
    lineId: string;
    name: string;
    category: string;
    stewardGroupId: string | null;
    partnerOrganizationIds: string[];
    allocated: number;
    committed: number;
    spent: number;
    paid: number;
    remaining: number;
  }[];
  grantCommitments: GrantCommitment[];
  questions: { questionId: string; lineId: string; text: string; askedAt: string; answered: boolean }[];
}

export interface MembersAsOf {
  asOf: AsOfPoint;
  members: {
    organizationId: string;
    name: string;
    status: 'member' | 'departed';
    admission: 'founding' | 'decision';
    representatives: { personId: string; status: 'invited' | 'awaitingConfirmation' | 'active' }[];
    profile: MemberProfile | null;
  }[];
}

export interface WorkingGroupAsOf {
  asOf: AsOfPoint;
  groupId: string;
  name: string;
  purpose: string;
  status: 'active' | 'dissolved';
  mandate: Mandate;
  leadOrganizationIds: string[];
  members: { organizationId: string; hoursPerMonth: number; isLead: boolean }[];
}

export interface ProposalAsOf {
  asOf: AsOfPoint;
  proposalId: string;
  title: string;
  body: string;
  payload: ProposalPayload;
  status: Exclude<ProposalState['status'], 'none'>;
  revision: number;
  round: number;
  proposer: { personId: string; organizationId: string | null };
  routing: Routing | null;
  rules: DecisionRules | null;
  memberIds: string[];
  recusals: Recusal[];
  feedbackEndsAt: string | null;
  stances: {
    organizationId: string;
    personId: string;
    stance: string;
    reason: string | null;
    revision: number;
    needsReview: boolean;
    at: string;
  }[];
  /** As the domain computes it at that moment (for a decided proposal, the recorded decision). */
  outcome: Outcome | null;
}

function cutoff(at: AsOf): (event: RecordedEvent) => boolean {
  if ('position' in at) {
    if (!Number.isFinite(at.position) || at.position < 0) throw new Error('A position must be a number ≥ 0');
    return (event) => event.globalPosition <= at.position;
  }
  const time = at.time.getTime();
  if (Number.isNaN(time)) throw new Error('Invalid time');
  return (event) => event.recordedAt.getTime() <= time;
}

/** A stream's events up to the moment: the longest prefix whose events are all included. */
async function streamUpTo(store: EventStore, streamId: string, at: AsOf): Promise<RecordedEvent[]> {
  let events: RecordedEvent[];
  try {
    events = await store.readStream(streamId);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  const included = cutoff(at);
  const end = events.findIndex((event) => !included(event));
  return end < 0 ? events : events.slice(0, end);
}

/** Every event of the global order up to the moment, streamed page by page, filtered by stream. */
async function* allUpTo(
  store: EventStore,
  at: AsOf,
  streamFilter: (streamId: string) => boolean,
  seen: RecordedEvent[],
) {
  const included = cutoff(at);
  let after = 0;
  for (;;) {
    const page = await store.readAll({ after, limit: 5000 });
    for (const event of page) {
      if (!included(event)) return;
      seen[0] = event;
      if (streamFilter(event.streamId)) yield event;
    }
    if (page.length < 5000) return;
    after = page[page.length - 1]!.globalPosition;
  }
}

function pointOf(events: readonly RecordedEvent[], at: AsOf): AsOfPoint {
  const last = events[events.length - 1];
  if ('position' in at)
    return { position: at.position, recordedAt: last ? last.recordedAt.toISOString() : null };
  return { position: last?.globalPosition ?? 0, recordedAt: at.time.toISOString() };
}

function domainEvents<E extends DomainEvent>(events: readonly RecordedEvent[]): E[] {
  return events.map((event) => decode(event).event as E);
}

/** The time a proposal's outcome is computed at: the moment asked for, or the last included event's time. */
function momentOf(at: AsOf, events: readonly RecordedEvent[]): string {
  if ('time' in at) return at.time.toISOString();
  return (events[events.length - 1]?.recordedAt ?? new Date(0)).toISOString();
}

function budgetView(state: BudgetState, point: AsOfPoint): BudgetAsOf | null {
  if (state.status !== 'open') return null;
  // What was recorded paid: the expenses marked paid, line by line.
  const paid = new Map<string, number>();
  for (const expense of Object.values(state.expenses)) {
    if (expense.status === 'paid') paid.set(expense.lineId, (paid.get(expense.lineId) ?? 0) + expense.amount);
  }
  const lines = Object.values(state.lines).map((line) => ({
    lineId: line.lineId,
    name: line.name,
    category: line.category,
    stewardGroupId: line.stewardGroupId,
    partnerOrganizationIds: [...line.partnerOrganizationIds],
    allocated: line.allocated,
    committed: line.committed,
    spent: line.spent,
    paid: paid.get(line.lineId) ?? 0,
    remaining: line.allocated - line.committed - line.spent,
  }));
  return {
    asOf: point,
    budgetId: state.budgetId,
    name: state.name,
    currency: state.currency,
    fiscalPeriod: { ...state.fiscalPeriod },
    totals: sumTotals(lines),
    lines,
    grantCommitments: Object.values(state.grantCommitments),
    questions: Object.values(state.questions).map((question) => ({
      questionId: question.questionId,
      lineId: question.lineId,
      text: question.text,
      askedAt: question.askedAt,
      answered: question.answer !== null,
    })),
  };
}

/**
 * Historical views, computed by replaying the events with the domain's deciders (`evolve`), never from
 * the read models: the budget, the membership, a working group and a proposal as they were at a global
 * position or a time. A time includes every event recorded at or before it, up to the first one recorded
 * later (so the view is always a prefix of the history).
 */
export const asOf = {
  /** A budget as it was; without an id, the budget opened last by then. Null when it was not open yet. */
  async budget(store: EventStore, at: AsOf, budgetId?: string): Promise<BudgetAsOf | null> {
    if (budgetId) {
      const events = await streamUpTo(store, streamIdFor.budget(budgetId), at);
      return budgetView(fold(budgetDecider, domainEvents<BudgetEvent>(events)), pointOf(events, at));
    }
    const states = new Map<string, BudgetState>();
    let latest: string | null = null;
    const seen: RecordedEvent[] = [];
    for await (const recorded of allUpTo(store, at, (streamId) => streamId.startsWith('budget-'), seen)) {
      const event = decode(recorded).event as BudgetEvent;
      const state = budgetDecider.evolve(
        states.get(recorded.streamId) ?? budgetDecider.initialState(),
        event,
      );
      states.set(recorded.streamId, state);
      if (event.type === 'BudgetOpened') latest = recorded.streamId;
    }
    return latest ? budgetView(states.get(latest)!, pointOf(seen, at)) : null;
  },

  /** Every organization that had been admitted by then, with its status and representatives. */
  async members(store: EventStore, at: AsOf): Promise<MembersAsOf> {
    const states = new Map<string, MemberState>();
    const seen: RecordedEvent[] = [];
    for await (const recorded of allUpTo(store, at, (streamId) => streamId.startsWith('member-'), seen)) {
      const event = decode(recorded).event as MemberEvent;
      states.set(
        recorded.streamId,
        memberDecider.evolve(states.get(recorded.streamId) ?? memberDecider.initialState(), event),
      );
    }
    const list = [...states.values()]
      .flatMap((state) => (state.status === 'unknown' ? [] : [state]))
      .sort((a, b) => a.organizationId.localeCompare(b.organizationId))
      .map((state) => ({
        organizationId: state.organizationId,
        name: state.name,
        status: state.status,
        admission: state.admission.type,
        representatives: Object.entries(state.representatives)
          .map(([personId, representative]) => ({ personId, status: representative.status }))
          .sort((a, b) => a.personId.localeCompare(b.personId)),
        profile: state.profile,
      }));
    return { asOf: pointOf(seen, at), members: list };
  },

  /** A working group as it was; null when it did not exist yet. */
  async workingGroup(store: EventStore, at: AsOf, groupId: string): Promise<WorkingGroupAsOf | null> {
    const events = await streamUpTo(store, streamIdFor.workingGroup(groupId), at);
    const state: WorkingGroupState = fold(workingGroupDecider, domainEvents<WorkingGroupEvent>(events));
    if (state.status === 'none') return null;
    return {
      asOf: pointOf(events, at),
      groupId: state.groupId,
      name: state.name,
      purpose: state.purpose,
      status: state.status,
      mandate: state.mandate,
      leadOrganizationIds: [...state.leadOrganizationIds],
      members: Object.entries(state.members)
        .map(([organizationId, membership]) => ({
          organizationId,
          hoursPerMonth: membership.hoursPerMonth,
          isLead: state.leadOrganizationIds.includes(organizationId),
        }))
        .sort((a, b) => a.organizationId.localeCompare(b.organizationId)),
    };
  },

  /** A proposal as it was, with its outcome as the domain computed it then; null before it was drafted. */
  async proposal(store: EventStore, at: AsOf, proposalId: string): Promise<ProposalAsOf | null> {
    const events = await streamUpTo(store, streamIdFor.proposal(proposalId), at);
    const state = fold(proposalDecider, domainEvents<ProposalEvent>(events));
    if (state.status === 'none') return null;
    const outcome: Outcome | null = state.decision
      ? state.decision.outcome === 'adopted'
        ? {
            status: 'adopted',
            reason: state.decision.reason as 'consensus' | 'everyoneHasSpoken' | 'fallbackSupermajority',
            tally: state.decision.tally,
          }
        : { status: 'notAdopted', reason: 'blocked', tally: state.decision.tally }
      : outcomeOf(state, momentOf(at, events));
    return {
      asOf: pointOf(events, at),
      proposalId: state.proposalId,
      title: state.title,
      body: state.body,
      payload: state.payload,
      status: state.status,
      revision: state.revision,
      round: state.round,
      proposer: state.proposer,
      routing: state.opened?.routing ?? null,
      rules: state.opened?.rules ?? null,
      memberIds: [...(state.opened?.memberIds ?? [])],
      recusals: [...(state.opened?.recusals ?? [])],
      feedbackEndsAt: state.feedbackEndsAt,
      stances: Object.values(state.stances)
        .map((stance) => ({ ...stance, needsReview: stance.revision !== state.revision }))
        .sort((a, b) => a.organizationId.localeCompare(b.organizationId)),
      outcome,
    };
  },
};
