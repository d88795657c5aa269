import { m } from '$lib/paraglide/messages.js';
import { read, send } from '$lib/server/api';
import { accepted, invalid, Posted, refused } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, locals }) => {
  const { members } = await read(fetch, 'members');
  return { members, isFacilitator: locals.person?.role === 'facilitator' };
};

export const actions: Actions = {
  /** A facilitator invites an auditor or another facilitator (a one-time link by mail). */
  inviteStaff: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const role = posted.text('role');
    const email = posted.text('email');
    const name = posted.text('name');
    const fields: Record<string, string> = {};
    if (role !== 'auditor' && role !== 'facilitator') fields.role = m.field_required();
    if (!email) fields.email = m.field_required();
    if (!name) fields.name = m.field_required();
    if (Object.keys(fields).length) return invalid('inviteStaff', fields, posted);
    const result = await send(fetch, 'inviteStaff', { body: { role, email, name }, key: posted.key() });
    if (!result.ok) {
      return refused('inviteStaff', result.problem, posted, {
        PERSON_HAS_OTHER_ROLE: 'email',
        EMAIL_TAKEN: 'email',
      });
    }
    const { link, expiresAt } = result.body;
    return { ...accepted('inviteStaff'), invitation: { name, email, link, expiresAt } };
  },
};
