import { m } from '$lib/paraglide/messages.js';
import { read, send } from '$lib/server/api';
import { accepted, invalid, Posted, refused } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const member = await read(fetch, 'member', params);
  const own =
    locals.person?.role === 'representative' && locals.person.organizationId === params.organizationId;
  return {
    member,
    canInvite: member.status === 'member' && (own || locals.person?.role === 'facilitator'),
    canEditProfile: own,
  };
};

const list = (text: string) =>
  text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);

export const actions: Actions = {
  invite: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const email = posted.text('email');
    const name = posted.text('name');
    const fields: Record<string, string> = {};
    if (!email) fields.email = m.field_required();
    if (!name) fields.name = m.field_required();
    if (Object.keys(fields).length) return invalid('invite', fields, posted);
    const result = await send(fetch, 'inviteRepresentative', {
      params,
      body: { email, name },
      key: posted.key(),
    });
    if (!result.ok) {
      return refused('invite', result.problem, posted, {
        PERSON_HAS_OTHER_ROLE: 'email',
        REPRESENTS_ANOTHER_ORGANIZATION: 'email',
        ALREADY_A_REPRESENTATIVE: 'email',
      });
    }
    return accepted('invite', m.invitation_sent({ email }));
  },

  profile: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const hoursText = posted.text('hours');
    const hours = hoursText ? Number(hoursText) : null;
    if (hours !== null && !(Number.isInteger(hours) && hours >= 0 && hours <= 744)) {
      return invalid('profile', { hours: m.hours_invalid() }, posted);
    }
    const result = await send(fetch, 'updateMemberProfile', {
      params,
      body: {
        availability: posted.text('availability'),
        interests: list(posted.text('interests')),
        goals: posted
          .text('goals')
          .split(/\r?\n/)
          .map((goal) => goal.trim())
          .filter(Boolean),
        timeCommitmentHoursPerMonth: hours,
        languages: list(posted.text('languages')),
      },
      key: posted.key(),
    });
    if (!result.ok) {
      return refused('profile', result.problem, posted, {}, (path) => {
        const field = path.split('.')[0] ?? '';
        return field === 'timeCommitmentHoursPerMonth' ? 'hours' : field || null;
      });
    }
    return accepted('profile', m.profile_saved());
  },
};
