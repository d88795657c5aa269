import { iso, type View } from '../view.ts';
import { type MemberRow, members, type RepresentativeRow, representatives } from './table.ts';

/** Member organizations: status, admission, profile, and the people representing them. */
export const membersView: View = {
  name: 'members',
  types: [
    'MemberAdmitted',
    'MemberDeparted',
    'RepresentativeInvited',
    'RepresentativeJoined',
    'RepresentativeConfirmed',
    'RepresentativeAppointed',
    'RepresentativeRemoved',
    'MemberProfileUpdated',
  ],
  needs({ event }, uow) {
    switch (event.type) {
      case 'MemberAdmitted':
      case 'MemberDeparted':
      case 'MemberProfileUpdated':
        uow.want(members, event.data.organizationId);
        break;
      case 'RepresentativeJoined':
      case 'RepresentativeConfirmed':
      case 'RepresentativeAppointed':
        uow.want(representatives, event.data.organizationId, event.data.personId);
        break;
    }
  },
  apply({ event }, { uow, change }) {
    switch (event.type) {
      case 'MemberAdmitted': {
        const { organizationId, name, basis } = event.data;
        const at = iso(event.data.at);
        const previous = uow.get<MemberRow>(members, organizationId);
        uow.put<MemberRow>(members, {
          organization_id: organizationId,
          name,
          status: 'member',
          admission: basis.type,
          admitted_by_proposal_id: basis.type === 'decision' ? basis.execution.proposalId : null,
          admitted_at: at,
          departed_at: null,
          departure_reason: null,
          profile: previous?.profile ?? null,
          profile_updated_at: previous?.profile_updated_at ?? null,
          updated_at: at,
        });
        break;
      }
      case 'MemberDeparted': {
        const member = uow.get<MemberRow>(members, event.data.organizationId);
        if (!member) return;
        const at = iso(event.data.at);
        uow.put<MemberRow>(members, {
          ...member,
          status: 'departed',
          departed_at: at,
          departure_reason: event.data.reason,
          updated_at: at,
        });
        uow.removeWhere(representatives, 'organization_id', event.data.organizationId);
        break;
      }
      case 'MemberProfileUpdated': {
        const member = uow.get<MemberRow>(members, event.data.organizationId);
        if (!member) return;
        const at = iso(event.data.at);
        uow.put<MemberRow>(members, {
          ...member,
          profile: event.data.profile,
          profile_updated_at: at,
          updated_at: at,
        });
        break;
      }
      case 'RepresentativeInvited': {
        const { organizationId, personId, invitedBy, confirmed } = event.data;
        uow.put<RepresentativeRow>(representatives, {
          organization_id: organizationId,
          person_id: personId,
          status: 'invited',
          confirmed,
          invited_by_person_id: invitedBy,
          invited_at: iso(event.data.at),
          joined_at: null,
        });
        break;
      }
      case 'RepresentativeAppointed': {
        // Named at the founding or by a coalition decision: confirmed, and invited if not already.
        const { organizationId, personId, basis } = event.data;
        const pending = uow.get<RepresentativeRow>(representatives, organizationId, personId);
        const at = iso(event.data.at);
        uow.put<RepresentativeRow>(representatives, {
          organization_id: organizationId,
          person_id: personId,
          status: pending?.status === 'awaitingConfirmation' ? 'active' : (pending?.status ?? 'invited'),
          confirmed: true,
          invited_by_person_id: pending?.invited_by_person_id ?? `system:${basis.type}`,
          invited_at: pending?.invited_at ?? at,
          joined_at: pending?.status === 'awaitingConfirmation' ? at : (pending?.joined_at ?? null),
        });
        break;
      }
      case 'RepresentativeJoined': {
        const { organizationId, personId } = event.data;
        const invited = uow.get<RepresentativeRow>(representatives, organizationId, personId);
        if (!invited) return;
        const at = iso(event.data.at);
        uow.put<RepresentativeRow>(representatives, {
          ...invited,
          status: invited.confirmed ? 'active' : 'awaitingConfirmation',
          joined_at: invited.confirmed ? at : null,
        });
        break;
      }
      case 'RepresentativeConfirmed': {
        const { organizationId, personId } = event.data;
        const invited = uow.get<RepresentativeRow>(representatives, organizationId, personId);
        if (!invited) return;
        const accepted = invited.status === 'awaitingConfirmation';
        uow.put<RepresentativeRow>(representatives, {
          ...invited,
          confirmed: true,
          status: accepted ? 'active' : invited.status,
          joined_at: accepted ? iso(event.data.at) : invited.joined_at,
        });
        break;
      }
      case 'RepresentativeRemoved':
        uow.remove(representatives, event.data.organizationId, event.data.personId);
        break;
      default:
        return;
    }
    change({ view: 'member', id: event.data.organizationId });
  },
};
