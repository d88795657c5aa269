import { type MemberRow, members, type RepresentativeRow, representatives } from '../schema/tables.ts';
import { iso, type View } from './view.ts';

/** Member organizations: status, admission, profile, and the people representing them. */
export const membersView: View = {
  name: 'members',
  types: [
    'MemberAdmitted',
    'MemberDeparted',
    'RepresentativeInvited',
    'RepresentativeJoined',
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
        const { organizationId, personId, name, invitedBy } = event.data;
        uow.put<RepresentativeRow>(representatives, {
          organization_id: organizationId,
          person_id: personId,
          name,
          status: 'invited',
          invited_by_person_id: invitedBy,
          invited_at: iso(event.data.at),
          joined_at: null,
        });
        break;
      }
      case 'RepresentativeJoined': {
        const { organizationId, personId } = event.data;
        const invited = uow.get<RepresentativeRow>(representatives, organizationId, personId);
        if (!invited) return;
        uow.put<RepresentativeRow>(representatives, {
          ...invited,
          status: 'active',
          joined_at: iso(event.data.at),
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
