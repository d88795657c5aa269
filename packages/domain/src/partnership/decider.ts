import { type Decider, type Decision, validating } from '../decider.ts';
import { type DomainError, domainError, isDomainError } from '../errors.ts';
import type { Actor } from '../shared/actor.ts';
import { refuseRepeat, withExecuted } from '../shared/execution.ts';
import { isBefore } from '../shared/time.ts';
import type { Agreement, Partner } from './agreement.ts';
import { type PartnershipCommand, partnershipCommandSchema } from './commands.ts';
import type { PartnershipEvent } from './events.ts';
import type { PillarId, Rating } from './pillars.ts';
import { COALITION_PARTY, type RoundResults, roundResults } from './results.ts';

/** One organization's answer to a round. */
export interface CheckInAnswer {
  readonly organizationId: string;
  readonly partyId: string;
  readonly ratings: readonly {
    readonly pillar: PillarId;
    readonly rating: Rating;
    readonly comment: string;
  }[];
}

/** A check-in round: open until closed, then its results. */
export interface CheckInRound {
  readonly roundId: string;
  readonly pooled: boolean;
  readonly openedAt: string;
  readonly closesAt: string;
  readonly answers: Readonly<Record<string, CheckInAnswer>>;
  readonly results: RoundResults | null;
}

/** An action the parties proposed and agreed, and what became of it. */
export interface PartnershipAction {
  readonly actionId: string;
  readonly ownerPartyId: string;
  readonly agreedBy: readonly string[];
  readonly status: 'proposed' | 'agreed' | 'inProgress' | 'done' | 'dropped';
}

/** A partnership (stream `partnership-<partnershipId>`): its parties, agreement, rounds, actions, learning. */
export type PartnershipState =
  | { readonly status: 'none' }
  | {
      readonly status: 'active';
      readonly partnershipId: string;
      readonly title: string;
      readonly partners: readonly Partner[];
      readonly agreement: Agreement;
      readonly checkInEveryMonths: number;
      readonly establishedAt: string;
      /** The people taking part for a partner organization, by person id; `joined` once they accepted. */
      readonly contacts: Readonly<
        Record<string, { readonly organizationId: string; readonly joined: boolean }>
      >;
      readonly rounds: Readonly<Record<string, CheckInRound>>;
      readonly openRoundId: string | null;
      readonly lastClosedRoundId: string | null;
      readonly actions: Readonly<Record<string, PartnershipAction>>;
      readonly reflectionIds: readonly string[];
      readonly executedProposalIds: readonly string[];
    };

type Active = Extract<PartnershipState, { status: 'active' }>;

/** Every party of a partnership: the coalition first, then each partner. */
export function partiesOf(state: Active): string[] {
  return [COALITION_PARTY, ...state.partners.map((partner) => partner.organizationId)];
}

/**
 * The party a person acts for, and the organization: a representative for the coalition (through their
 * member organization), a partner's person for their organization once they accepted. Anyone else takes
 * no part.
 */
function partyOfActor(
  actor: Actor,
  state: Active,
): { partyId: string; organizationId: string } | DomainError {
  if (actor.role === 'representative')
    return { partyId: COALITION_PARTY, organizationId: actor.organizationId };
  const contact = state.contacts[actor.personId];
  if (actor.role === 'partner' && contact?.joined && contact.organizationId === actor.organizationId) {
    return { partyId: actor.organizationId, organizationId: actor.organizationId };
  }
  return domainError('NOT_A_PARTY', { partnershipId: state.partnershipId });
}

function findRound(state: Active, roundId: string): CheckInRound | DomainError {
  return state.rounds[roundId] ?? domainError('ROUND_NOT_FOUND', { roundId });
}

function findAction(state: Active, actionId: string): PartnershipAction | DomainError {
  return state.actions[actionId] ?? domainError('ACTION_NOT_FOUND', { actionId });
}

function decide(command: PartnershipCommand, state: PartnershipState): Decision<PartnershipEvent> {
  const { actor, now: at } = command;
  if (command.type === 'EstablishPartnership') {
    if (state.status !== 'none') {
      return (
        refuseRepeat(state.executedProposalIds, command.execution) ??
        domainError('PARTNERSHIP_EXISTS', { partnershipId: command.partnershipId })
      );
    }
    const { partnershipId, title, partners, agreement, checkInEveryMonths, execution } = command;
    if (partners.some((partner) => partner.organizationId === COALITION_PARTY)) {
      return domainError('INVALID_COMMAND', { issues: [{ path: 'partners', message: 'a reserved id' }] });
    }
    return [
      {
        type: 'PartnershipEstablished',
        data: { partnershipId, title, partners, agreement, checkInEveryMonths, execution, at },
      },
    ];
  }
  if (state.status === 'none') {
    return domainError('PARTNERSHIP_NOT_FOUND', { partnershipId: command.partnershipId });
  }
  const { partnershipId } = state;

  switch (command.type) {
    case 'ChangePartnershipAgreement': {
      const repeat = refuseRepeat(state.executedProposalIds, command.execution);
      if (repeat) return repeat;
      const { agreement, checkInEveryMonths, execution } = command;
      return [
        {
          type: 'PartnershipAgreementChanged',
          data: { partnershipId, agreement, checkInEveryMonths, execution, at },
        },
      ];
    }
    case 'InvitePartnerContact': {
      const { organizationId, personId } = command;
      if (!state.partners.some((partner) => partner.organizationId === organizationId)) {
        return domainError('NOT_A_PARTNER', { organizationId });
      }
      if (state.contacts[personId]) return domainError('ALREADY_A_CONTACT', { personId });
      return [
        {
          type: 'PartnerContactInvited',
          data: { partnershipId, organizationId, personId, invitedBy: actor.personId, at },
        },
      ];
    }
    case 'AcceptPartnerContact': {
      const contact = state.contacts[actor.personId];
      if (!contact || contact.joined || contact.organizationId !== actor.organizationId) {
        return domainError('PARTNER_INVITATION_NOT_FOUND');
      }
      return [
        {
          type: 'PartnerContactJoined',
          data: { partnershipId, organizationId: contact.organizationId, personId: actor.personId, at },
        },
      ];
    }
    case 'RemovePartnerContact': {
      const { personId } = command;
      const contact = state.contacts[personId];
      if (!contact) return domainError('CONTACT_NOT_FOUND', { personId });
      // A partner's person may end only their own part; the facilitator any.
      if (actor.role === 'partner' && actor.personId !== personId) {
        return domainError('NOT_YOUR_ORGANIZATION', { organizationId: contact.organizationId });
      }
      return [
        {
          type: 'PartnerContactRemoved',
          data: {
            partnershipId,
            organizationId: contact.organizationId,
            personId,
            removedBy: actor.personId,
            at,
          },
        },
      ];
    }
    case 'OpenCheckInRound': {
      const { roundId, closesAt, pooled } = command;
      if (state.rounds[roundId]) return domainError('ROUND_EXISTS', { roundId });
      if (state.openRoundId) return domainError('ROUND_ALREADY_OPEN', { roundId: state.openRoundId });
      if (!isBefore(at, closesAt)) return domainError('DEADLINE_IN_THE_PAST', { deadline: closesAt });
      return [
        {
          type: 'CheckInRoundOpened',
          data: { partnershipId, roundId, closesAt, pooled, openedBy: actor.personId, at },
        },
      ];
    }
    case 'AnswerCheckIn': {
      const round = findRound(state, command.roundId);
      if (isDomainError(round)) return round;
      if (round.results || !isBefore(at, round.closesAt)) {
        return domainError('ROUND_CLOSED', { roundId: round.roundId });
      }
      const party = partyOfActor(actor, state);
      if (isDomainError(party)) return party;
      if (party.organizationId !== command.organizationId) {
        return domainError('NOT_YOUR_ORGANIZATION', { organizationId: command.organizationId });
      }
      const { roundId, organizationId, answers, evidence, language } = command;
      return [
        {
          type: 'CheckInAnswered',
          data: {
            partnershipId,
            roundId,
            organizationId,
            partyId: party.partyId,
            answers,
            evidence,
            language,
            answeredBy: actor.personId,
            at,
          },
        },
      ];
    }
    case 'CloseCheckInRound': {
      const round = findRound(state, command.roundId);
      if (isDomainError(round)) return round;
      if (round.results) return domainError('ROUND_CLOSED', { roundId: round.roundId });
      // The schedule closes a round only once its time has passed; the facilitator may close it earlier.
      if (actor.role === 'system' && isBefore(at, round.closesAt)) {
        return domainError('ROUND_NOT_DUE', { closesAt: round.closesAt });
      }
      const results = roundResults(
        Object.values(round.answers),
        partiesOf(state),
        round.pooled,
        state.lastClosedRoundId,
      );
      return [
        {
          type: 'CheckInRoundClosed',
          data: { partnershipId, roundId: round.roundId, results, closedBy: actor.personId, at },
        },
      ];
    }
    case 'ProposePartnershipAction': {
      const { actionId, roundId, pillar, ownerPartyId, dueDate, description } = command;
      const party = partyOfActor(actor, state);
      if (isDomainError(party)) return party;
      if (state.actions[actionId]) return domainError('ACTION_EXISTS', { actionId });
      if (roundId !== null) {
        const round = findRound(state, roundId);
        if (isDomainError(round)) return round;
        if (!round.results) return domainError('ROUND_STILL_OPEN', { roundId });
      }
      if (!partiesOf(state).includes(ownerPartyId)) {
        return domainError('NOT_A_PARTNER', { organizationId: ownerPartyId });
      }
      if (dueDate < at.slice(0, 10)) return domainError('DEADLINE_IN_THE_PAST', { deadline: dueDate });
      return [
        {
          type: 'PartnershipActionProposed',
          data: {
            partnershipId,
            actionId,
            roundId,
            pillar,
            ownerPartyId,
            dueDate,
            description,
            partyId: party.partyId,
            organizationId: party.organizationId,
            proposedBy: actor.personId,
            at,
          },
        },
      ];
    }
    case 'AgreeToPartnershipAction': {
      const action = findAction(state, command.actionId);
      if (isDomainError(action)) return action;
      const party = partyOfActor(actor, state);
      if (isDomainError(party)) return party;
      if (action.agreedBy.includes(party.partyId)) {
        return domainError('ALREADY_AGREED', { actionId: action.actionId });
      }
      const agreedBy = [...action.agreedBy, party.partyId];
      const agreedTo: PartnershipEvent = {
        type: 'PartnershipActionAgreedTo',
        data: {
          partnershipId,
          actionId: action.actionId,
          partyId: party.partyId,
          organizationId: party.organizationId,
          personId: actor.personId,
          at,
        },
      };
      const everyParty = partiesOf(state).every((partyId) => agreedBy.includes(partyId));
      return everyParty
        ? [
            agreedTo,
            { type: 'PartnershipActionAgreed', data: { partnershipId, actionId: action.actionId, at } },
          ]
        : [agreedTo];
    }
    case 'FollowUpPartnershipAction': {
      const action = findAction(state, command.actionId);
      if (isDomainError(action)) return action;
      const party = partyOfActor(actor, state);
      if (isDomainError(party)) return party;
      if (action.status === 'proposed')
        return domainError('ACTION_NOT_AGREED', { actionId: action.actionId });
      if (action.status === 'done' || action.status === 'dropped') {
        return domainError('ACTION_FINISHED', { actionId: action.actionId, status: action.status });
      }
      const { status, note } = command;
      return [
        {
          type: 'PartnershipActionFollowedUp',
          data: {
            partnershipId,
            actionId: action.actionId,
            roundId: state.openRoundId,
            status,
            note,
            partyId: party.partyId,
            organizationId: party.organizationId,
            personId: actor.personId,
            at,
          },
        },
      ];
    }
    case 'RecordReflection': {
      const party = partyOfActor(actor, state);
      if (isDomainError(party)) return party;
      const { reflectionId, about, whatWorked, whatShouldChange, strengths, weaknesses, communityOutcomes } =
        command;
      if (state.reflectionIds.includes(reflectionId)) {
        return domainError('REFLECTION_EXISTS', { reflectionId });
      }
      return [
        {
          type: 'ReflectionRecorded',
          data: {
            partnershipId,
            reflectionId,
            about,
            whatWorked,
            whatShouldChange,
            strengths,
            weaknesses,
            communityOutcomes,
            language: command.language,
            partyId: party.partyId,
            organizationId: party.organizationId,
            recordedBy: actor.personId,
            at,
          },
        },
      ];
    }
  }
}

function evolve(state: PartnershipState, event: PartnershipEvent): PartnershipState {
  if (event.type === 'PartnershipEstablished') {
    const { partnershipId, title, partners, agreement, checkInEveryMonths, execution, at } = event.data;
    return {
      status: 'active',
      partnershipId,
      title,
      partners,
      agreement,
      checkInEveryMonths,
      establishedAt: at,
      contacts: {},
      rounds: {},
      openRoundId: null,
      lastClosedRoundId: null,
      actions: {},
      reflectionIds: [],
      executedProposalIds: [execution.proposalId],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PartnershipAgreementChanged': {
      const { agreement, checkInEveryMonths, execution } = event.data;
      return {
        ...state,
        agreement,
        checkInEveryMonths,
        executedProposalIds: withExecuted(state.executedProposalIds, execution.proposalId),
      };
    }
    case 'PartnerContactInvited': {
      const { personId, organizationId } = event.data;
      return { ...state, contacts: { ...state.contacts, [personId]: { organizationId, joined: false } } };
    }
    case 'PartnerContactJoined': {
      const { personId, organizationId } = event.data;
      return { ...state, contacts: { ...state.contacts, [personId]: { organizationId, joined: true } } };
    }
    case 'PartnerContactRemoved': {
      const { [event.data.personId]: _removed, ...contacts } = state.contacts;
      return { ...state, contacts };
    }
    case 'CheckInRoundOpened': {
      const { roundId, closesAt, pooled, at } = event.data;
      const round: CheckInRound = { roundId, closesAt, pooled, openedAt: at, answers: {}, results: null };
      return {
        ...state,
        rounds: { ...state.rounds, [roundId]: round },
        openRoundId: roundId,
      };
    }
    case 'CheckInAnswered': {
      const { roundId, organizationId, partyId, answers } = event.data;
      const round = state.rounds[roundId] as CheckInRound;
      const answer: CheckInAnswer = {
        organizationId,
        partyId,
        ratings: answers.map(({ pillar, rating, comment }) => ({ pillar, rating, comment })),
      };
      return {
        ...state,
        rounds: {
          ...state.rounds,
          [roundId]: { ...round, answers: { ...round.answers, [organizationId]: answer } },
        },
      };
    }
    case 'CheckInRoundClosed': {
      const { roundId, results } = event.data;
      const round = state.rounds[roundId] as CheckInRound;
      return {
        ...state,
        rounds: { ...state.rounds, [roundId]: { ...round, results } },
        openRoundId: state.openRoundId === roundId ? null : state.openRoundId,
        lastClosedRoundId: roundId,
      };
    }
    case 'PartnershipActionProposed': {
      const { actionId, ownerPartyId, partyId } = event.data;
      const action: PartnershipAction = { actionId, ownerPartyId, agreedBy: [partyId], status: 'proposed' };
      return { ...state, actions: { ...state.actions, [actionId]: action } };
    }
    case 'PartnershipActionAgreedTo': {
      const { actionId, partyId } = event.data;
      const action = state.actions[actionId] as PartnershipAction;
      const agreed = { ...action, agreedBy: [...action.agreedBy, partyId] };
      return { ...state, actions: { ...state.actions, [actionId]: agreed } };
    }
    case 'PartnershipActionAgreed': {
      const action = state.actions[event.data.actionId] as PartnershipAction;
      return { ...state, actions: { ...state.actions, [action.actionId]: { ...action, status: 'agreed' } } };
    }
    case 'PartnershipActionFollowedUp': {
      const action = state.actions[event.data.actionId] as PartnershipAction;
      const followed = { ...action, status: event.data.status };
      return { ...state, actions: { ...state.actions, [action.actionId]: followed } };
    }
    case 'ReflectionRecorded':
      return { ...state, reflectionIds: [...state.reflectionIds, event.data.reflectionId] };
  }
  return state;
}

/** The partnership aggregate's rules. */
export const partnershipDecider: Decider<PartnershipCommand, PartnershipEvent, PartnershipState> = {
  initialState: () => ({ status: 'none' }),
  evolve,
  decide: validating(partnershipCommandSchema, decide),
};

/** What a proposal about a partnership needs to know of it: whether it exists. */
export function partnershipFacts(state: PartnershipState): { partnershipId: string } | null {
  return state.status === 'active' ? { partnershipId: state.partnershipId } : null;
}
