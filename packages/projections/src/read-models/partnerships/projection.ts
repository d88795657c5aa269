import { iso, type View } from '../view.ts';
import {
  type PartnershipActionRow,
  type PartnershipAnswerRow,
  type PartnershipContactRow,
  type PartnershipReflectionRow,
  type PartnershipRoundRow,
  type PartnershipRow,
  partnershipActions,
  partnershipAnswers,
  partnershipContacts,
  partnershipReflections,
  partnershipRounds,
  partnerships,
} from './table.ts';

/**
 * Partnerships: the agreement as last decided, the partners' contacts, check-in rounds with every
 * organization's latest answer and the results the domain computed when a round closed (never recomputed
 * here), the actions the parties agreed and their follow-ups, and the reflections they recorded.
 */
export const partnershipsView: View = {
  name: 'partnerships',
  types: [
    'PartnershipEstablished',
    'PartnershipAgreementChanged',
    'PartnerContactInvited',
    'PartnerContactJoined',
    'PartnerContactRemoved',
    'CheckInRoundOpened',
    'CheckInAnswered',
    'CheckInRoundClosed',
    'PartnershipActionProposed',
    'PartnershipActionAgreedTo',
    'PartnershipActionAgreed',
    'PartnershipActionFollowedUp',
    'ReflectionRecorded',
  ],
  needs({ event }, uow) {
    switch (event.type) {
      case 'PartnershipAgreementChanged':
        uow.want(partnerships, event.data.partnershipId);
        break;
      case 'PartnerContactJoined':
        uow.want(partnershipContacts, event.data.partnershipId, event.data.personId);
        break;
      case 'CheckInAnswered':
      case 'CheckInRoundClosed':
        uow.want(partnershipRounds, event.data.partnershipId, event.data.roundId);
        break;
      case 'PartnershipActionAgreedTo':
      case 'PartnershipActionAgreed':
      case 'PartnershipActionFollowedUp':
        uow.want(partnershipActions, event.data.partnershipId, event.data.actionId);
        break;
    }
  },
  apply({ event }, { uow, change }) {
    switch (event.type) {
      case 'PartnershipEstablished': {
        const d = event.data;
        const at = iso(d.at);
        uow.put<PartnershipRow>(partnerships, {
          partnership_id: d.partnershipId,
          title: d.title,
          partners: d.partners,
          agreement: d.agreement,
          check_in_every_months: d.checkInEveryMonths,
          established_at: at,
          established_by_proposal_id: d.execution.proposalId,
          agreement_changed_at: null,
          agreement_proposal_id: d.execution.proposalId,
          updated_at: at,
        });
        break;
      }
      case 'PartnershipAgreementChanged': {
        const d = event.data;
        const partnership = uow.get<PartnershipRow>(partnerships, d.partnershipId);
        if (!partnership) return;
        const at = iso(d.at);
        uow.put<PartnershipRow>(partnerships, {
          ...partnership,
          agreement: d.agreement,
          check_in_every_months: d.checkInEveryMonths,
          agreement_changed_at: at,
          agreement_proposal_id: d.execution.proposalId,
          updated_at: at,
        });
        break;
      }
      case 'PartnerContactInvited': {
        const d = event.data;
        uow.put<PartnershipContactRow>(partnershipContacts, {
          partnership_id: d.partnershipId,
          person_id: d.personId,
          organization_id: d.organizationId,
          status: 'invited',
          invited_at: iso(d.at),
          joined_at: null,
        });
        break;
      }
      case 'PartnerContactJoined': {
        const d = event.data;
        const contact = uow.get<PartnershipContactRow>(partnershipContacts, d.partnershipId, d.personId);
        if (!contact) return;
        uow.put<PartnershipContactRow>(partnershipContacts, {
          ...contact,
          organization_id: d.organizationId,
          status: 'joined',
          joined_at: iso(d.at),
        });
        break;
      }
      case 'PartnerContactRemoved':
        uow.remove(partnershipContacts, event.data.partnershipId, event.data.personId);
        break;
      case 'CheckInRoundOpened': {
        const d = event.data;
        uow.put<PartnershipRoundRow>(partnershipRounds, {
          partnership_id: d.partnershipId,
          round_id: d.roundId,
          pooled: d.pooled,
          opened_at: iso(d.at),
          closes_at: iso(d.closesAt),
          closed_at: null,
          results: null,
          answered_organization_ids: [],
        });
        break;
      }
      case 'CheckInAnswered': {
        const d = event.data;
        const round = uow.get<PartnershipRoundRow>(partnershipRounds, d.partnershipId, d.roundId);
        if (!round) return;
        if (!round.answered_organization_ids.includes(d.organizationId)) {
          uow.put<PartnershipRoundRow>(partnershipRounds, {
            ...round,
            answered_organization_ids: [...round.answered_organization_ids, d.organizationId],
          });
        }
        uow.put<PartnershipAnswerRow>(partnershipAnswers, {
          partnership_id: d.partnershipId,
          round_id: d.roundId,
          organization_id: d.organizationId,
          party_id: d.partyId,
          answers: d.answers,
          evidence: d.evidence,
          language: d.language,
          answered_by: d.answeredBy,
          answered_at: iso(d.at),
        });
        break;
      }
      case 'CheckInRoundClosed': {
        const d = event.data;
        const round = uow.get<PartnershipRoundRow>(partnershipRounds, d.partnershipId, d.roundId);
        if (!round) return;
        // The results as the domain computed them when the round closed: pooled there, never here.
        uow.put<PartnershipRoundRow>(partnershipRounds, {
          ...round,
          closed_at: iso(d.at),
          results: d.results,
        });
        break;
      }
      case 'PartnershipActionProposed': {
        const d = event.data;
        uow.put<PartnershipActionRow>(partnershipActions, {
          partnership_id: d.partnershipId,
          action_id: d.actionId,
          round_id: d.roundId,
          pillar: d.pillar,
          owner_party_id: d.ownerPartyId,
          due_date: d.dueDate,
          description: d.description,
          proposed_by_party_id: d.partyId,
          proposed_by_organization_id: d.organizationId,
          proposed_at: iso(d.at),
          agreed_by: [d.partyId],
          status: 'proposed',
          agreed_at: null,
          follow_ups: [],
        });
        break;
      }
      case 'PartnershipActionAgreedTo':
      case 'PartnershipActionAgreed':
      case 'PartnershipActionFollowedUp': {
        const d = event.data;
        const action = uow.get<PartnershipActionRow>(partnershipActions, d.partnershipId, d.actionId);
        if (!action) return;
        const at = iso(d.at);
        let next: PartnershipActionRow;
        switch (event.type) {
          case 'PartnershipActionAgreedTo': {
            const { partyId } = event.data;
            next = action.agreed_by.includes(partyId)
              ? action
              : { ...action, agreed_by: [...action.agreed_by, partyId] };
            break;
          }
          case 'PartnershipActionAgreed':
            next = { ...action, status: 'agreed', agreed_at: at };
            break;
          case 'PartnershipActionFollowedUp': {
            const { roundId, status, note, partyId, organizationId } = event.data;
            next = {
              ...action,
              status,
              follow_ups: [...action.follow_ups, { roundId, status, note, partyId, organizationId, at }],
            };
            break;
          }
        }
        uow.put<PartnershipActionRow>(partnershipActions, next);
        break;
      }
      case 'ReflectionRecorded': {
        const d = event.data;
        uow.put<PartnershipReflectionRow>(partnershipReflections, {
          partnership_id: d.partnershipId,
          reflection_id: d.reflectionId,
          about: d.about,
          what_worked: d.whatWorked,
          what_should_change: d.whatShouldChange,
          strengths: d.strengths,
          weaknesses: d.weaknesses,
          community_outcomes: d.communityOutcomes,
          language: d.language,
          party_id: d.partyId,
          organization_id: d.organizationId,
          recorded_by: d.recordedBy,
          recorded_at: iso(d.at),
        });
        break;
      }
      default:
        return;
    }
    change({ view: 'partnership', id: event.data.partnershipId });
  },
};
