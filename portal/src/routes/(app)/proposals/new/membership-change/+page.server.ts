import { randomUUID } from 'node:crypto';
import type { ProposalPayload } from '@concord/domain';
import { m } from '$lib/paraglide/messages.js';
import { read, readOptional } from '$lib/server/api';
import { Posted } from '$lib/server/forms';
import { proposeWhenComplete } from '$lib/server/proposals';
import type { Actions, PageServerLoad } from './$types';

type Fetch = typeof fetch;
const actionsOffered = ['admit', 'depart', 'appointRepresentative'] as const;
type MembershipAction = (typeof actionsOffered)[number];

/**
 * The members, and for each member without an active representative the people invited to represent it
 * who are not confirmed: the coalition may appoint one of them (an organization with representatives of
 * its own decides that itself).
 */
async function context(fetch: Fetch) {
  const [{ members }, charter] = await Promise.all([read(fetch, 'members'), readOptional(fetch, 'charter')]);
  const current = members.filter((member) => member.status === 'member');
  const unrepresented = current.filter((member) => member.activeRepresentatives === 0);
  const details = await Promise.all(
    unrepresented.map((member) => readOptional(fetch, 'member', { organizationId: member.organizationId })),
  );
  return {
    members: current.map((member) => ({ organizationId: member.organizationId, name: member.name })),
    unrepresented: unrepresented.map((member, index) => ({
      organizationId: member.organizationId,
      name: member.name,
      invitees: (details[index]?.representatives ?? [])
        .filter((rep) => !rep.confirmed && rep.name !== null)
        .map((rep) => ({ personId: rep.personId, name: rep.name as string, status: rep.status })),
    })),
    urgentPath: charter?.rules.urgentPath ?? null,
  };
}

export const load: PageServerLoad = async ({ fetch, url }) => {
  const facts = await context(fetch);
  const asked = url.searchParams.get('action');
  const organization = url.searchParams.get('organization') ?? '';
  return {
    ...facts,
    actions: actionsOffered,
    selected: actionsOffered.find((action) => action === asked) ?? 'admit',
    organization,
  };
};

export const actions: Actions = {
  propose: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const fields: Record<string, string> = {};
    const action = actionsOffered.find((candidate) => candidate === posted.text('action')) as
      | MembershipAction
      | undefined;
    let payload: ProposalPayload | null = null;
    if (!action) fields.action = m.field_required();
    if (action === 'admit') {
      const name = posted.text('admitName');
      if (!name) fields.admitName = m.field_required();
      else {
        payload = {
          kind: 'membershipChange',
          change: { action, organizationId: randomUUID(), name, firstRepresentativeId: null },
        };
      }
    } else if (action === 'depart') {
      const organizationId = posted.text('departOrganizationId');
      const reason = posted.text('departReason');
      if (!organizationId) fields.departOrganizationId = m.field_required();
      if (!reason) fields.departReason = m.field_required();
      if (organizationId && reason) {
        payload = { kind: 'membershipChange', change: { action, organizationId, reason } };
      }
    } else if (action === 'appointRepresentative') {
      const [organizationId = '', personId = ''] = posted.text('appointee').split('/');
      if (!organizationId || !personId) fields.appointee = m.appoint_pick();
      else {
        payload = { kind: 'membershipChange', change: { action, organizationId, personId } };
      }
    }
    return proposeWhenComplete(fetch, posted, fields, payload, {
      ALREADY_A_MEMBER: 'admitName',
      NOT_A_MEMBER: 'departOrganizationId',
      ORGANIZATION_IS_REPRESENTED: 'appointee',
    });
  },
};
