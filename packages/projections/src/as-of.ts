import {
  type Agreement,
  addMonths,
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
  type Partner,
  type PartnershipEvent,
  type PartnershipState,
  type ProposalEvent,
  type ProposalPayload,
  type ProposalState,
  partiesOf,
  partnershipDecider,
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
import type {
  CheckInRoundView,
  PartnerContactView,
  PartnershipActionView,
  ReflectionView,
} from './read-models/partnerships/schema.ts';
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

/**
 * A partnership as it stood: the same parts as the live `partnership` query where they mean something
 * then, and nothing a person may not read (ADR 0027): a round shows who had answered and, once closed,
 * the results the domain recorded, never an organization's answer (a pooled round's member answers are
 * never listed one by one, and the others are read through the answers route, as they are today).
 */
export interface PartnershipAsOf {
  asOf: AsOfPoint;
  partnershipId: string;
  title: string;
  /** Only `active`: a partnership is never ended (yet). */
  status: 'active';
  establishedAt: string;
  partners: Partner[];
  /** Every party: `coalition` first, then each partner organization. */
  partyIds: string[];
  /** The people taking part for a partner organization then (ids only; names are not in the history). */
  contacts: PartnerContactView[];
  agreement: {
    /** The agreement's text as it stood. */
    text: Agreement;
    /** 1 as established, one more for each adopted change up to the moment. */
    version: number;
    /** The proposal that set this version (the establishing one for version 1). */
    proposalId: string;
    /** When this version took effect, as its event says (the establishment for version 1). */
    since: string;
  };
  schedule: {
    checkInEveryMonths: number;
    /** The round open then, if one was (it may have been past its closing time, not yet closed). */
    openRoundId: string | null;
    /** With no round open: from when the schedule would open the next one (the agreed rhythm). */
    nextRoundFrom: string | null;
  };
  /** Newest first; a round closed only later shows `open`, without results. */
  rounds: (CheckInRoundView & { status: 'open' | 'closed' })[];
  /** Oldest first, each with its status, agreements and follow-ups as they stood. */
  actions: PartnershipActionView[];
  /** Newest first. */
  reflections: ReflectionView[];
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

function partnershipView(events: readonly RecordedEvent[], point: AsOfPoint): PartnershipAsOf | null {
  // The domain's state says what stood (agreement, rounds and their results, action statuses, contacts);
  // the events' own fields add what the state does not keep (texts, times, who proposed).
  let state: PartnershipState = partnershipDecider.initialState();
  let version = 0;
  let agreementFrom = { proposalId: '', since: '' };
  const invitedAt = new Map<string, string>();
  const closedAt = new Map<string, string>();
  const answered = new Map<string, string[]>();
  const actions = new Map<string, PartnershipActionView>();
  const reflections: ReflectionView[] = [];
  for (const recorded of events) {
    const event = decode(recorded).event as PartnershipEvent;
    state = partnershipDecider.evolve(state, event);
    const at = new Date(event.data.at).toISOString();
    switch (event.type) {
      case 'PartnershipEstablished':
      case 'PartnershipAgreementChanged':
        version += 1;
        agreementFrom = { proposalId: event.data.execution.proposalId, since: at };
        break;
      case 'PartnerContactInvited':
        invitedAt.set(event.data.personId, at);
        break;
      case 'CheckInAnswered': {
        const ids = answered.get(event.data.roundId) ?? [];
        if (!ids.includes(event.data.organizationId)) ids.push(event.data.organizationId);
        answered.set(event.data.roundId, ids);
        break;
      }
      case 'CheckInRoundClosed':
        closedAt.set(event.data.roundId, at);
        break;
      case 'PartnershipActionProposed': {
        const d = event.data;
        actions.set(d.actionId, {
          actionId: d.actionId,
          roundId: d.roundId,
          pillar: d.pillar,
          ownerPartyId: d.ownerPartyId,
          dueDate: d.dueDate,
          description: d.description,
          proposedBy: { partyId: d.partyId, organizationId: d.organizationId },
          proposedAt: at,
          agreedBy: [d.partyId],
          status: 'proposed',
          agreedAt: null,
          followUps: [],
        });
        break;
      }
      case 'PartnershipActionAgreed': {
        const action = actions.get(event.data.actionId);
        if (action) action.agreedAt = at;
        break;
      }
      case 'PartnershipActionFollowedUp': {
        const { actionId, roundId, status, note, partyId, organizationId } = event.data;
        actions.get(actionId)?.followUps.push({ roundId, status, note, partyId, organizationId, at });
        break;
      }
      case 'ReflectionRecorded': {
        const d = event.data;
        reflections.push({
          partnershipId: d.partnershipId,
          reflectionId: d.reflectionId,
          about: d.about,
          whatWorked: d.whatWorked,
          whatShouldChange: d.whatShouldChange,
          strengths: d.strengths,
          weaknesses: d.weaknesses,
          communityOutcomes: d.communityOutcomes,
          language: d.language,
          partyId: d.partyId,
          organizationId: d.organizationId,
          recordedBy: d.recordedBy,
          recordedAt: at,
        });
        break;
      }
    }
  }
  if (state.status !== 'active') return null;
  const rounds = Object.values(state.rounds);
  const lastOpened = rounds.reduce(
    (latest, round) => (Date.parse(round.openedAt) > Date.parse(latest) ? round.openedAt : latest),
    state.establishedAt,
  );
  const iso = (instant: string) => new Date(instant).toISOString();
  return {
    asOf: point,
    partnershipId: state.partnershipId,
    title: state.title,
    status: state.status,
    establishedAt: iso(state.establishedAt),
    partners: [...state.partners],
    partyIds: partiesOf(state),
    contacts: Object.entries(state.contacts)
      .map(
        ([personId, contact]): PartnerContactView => ({
          personId,
          organizationId: contact.organizationId,
          status: contact.joined ? 'joined' : 'invited',
        }),
      )
      // In the live view's orders: contacts as invited, actions as proposed, reflections newest first.
      .sort(
        (a, b) =>
          (invitedAt.get(a.personId) ?? '').localeCompare(invitedAt.get(b.personId) ?? '') ||
          a.personId.localeCompare(b.personId),
      ),
    agreement: { text: state.agreement, version, ...agreementFrom },
    schedule: {
      checkInEveryMonths: state.checkInEveryMonths,
      openRoundId: state.openRoundId,
      nextRoundFrom: state.openRoundId ? null : iso(addMonths(lastOpened, state.checkInEveryMonths)),
    },
    rounds: rounds
      .map((round) => ({
        roundId: round.roundId,
        status: round.results ? ('closed' as const) : ('open' as const),
        pooled: round.pooled,
        openedAt: iso(round.openedAt),
        closesAt: iso(round.closesAt),
        closedAt: round.results ? (closedAt.get(round.roundId) ?? null) : null,
        results: round.results,
        answeredOrganizationIds: answered.get(round.roundId) ?? [],
      }))
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt) || b.roundId.localeCompare(a.roundId)),
    actions: [...actions.values()]
      .map((action) => {
        const then = state.actions[action.actionId];
        return then ? { ...action, agreedBy: [...then.agreedBy], status: then.status } : action;
      })
      .sort((a, b) => a.proposedAt.localeCompare(b.proposedAt) || a.actionId.localeCompare(b.actionId)),
    reflections: reflections.sort(
      (a, b) => b.recordedAt.localeCompare(a.recordedAt) || b.reflectionId.localeCompare(a.reflectionId),
    ),
  };
}

/**
 * Historical views, computed by replaying the events with the domain's deciders (`evolve`), never from
 * the read models: the budget, the membership, a working group, a proposal and a partnership as they were at a global
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

  /**
   * A partnership as it stood: its parties, agreement (and which version), schedule, rounds (a closed one
   * with the results recorded then), actions and reflections; null before it was established.
   */
  async partnership(store: EventStore, at: AsOf, partnershipId: string): Promise<PartnershipAsOf | null> {
    const events = await streamUpTo(store, streamIdFor.partnership(partnershipId), at);
    return partnershipView(events, pointOf(events, at));
  },
};
