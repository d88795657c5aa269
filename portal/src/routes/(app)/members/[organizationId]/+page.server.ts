import { isolate } from '$lib/i18n';
import { m } from '$lib/paraglide/messages.js';
import { read, send } from '$lib/server/api';
import { accepted, invalid, invitationHandedOver, Posted, refused } from '$lib/server/forms';
import { may } from '$lib/server/may';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const member = await read(fetch, 'member', params);
  const person = locals.person;
  // Only the organization's own representatives decide who speaks for it: they confirm, decline and
  // remove. A facilitator may invite (the organization then confirms), never confirm.
  const own =
    person?.role === 'representative' &&
    person.organizationId === params.organizationId &&
    member.status === 'member';
  return {
    member,
    me: person?.id ?? null,
    own,
    isFacilitator: person?.role === 'facilitator',
    canInvite:
      member.status === 'member' &&
      may(person, 'InviteRepresentative') &&
      (own || person?.role === 'facilitator'),
    canEditProfile: own,
    // A person who cannot forget themself (no longer able to sign in) asks their organization or the
    // facilitator; the API checks that the person is one the organization's history names.
    canForget: may(person, 'ForgetPerson') && (own || person?.role === 'facilitator'),
  };
};

const list = (text: string) =>
  text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);

/** The optional reason a person gives, or null. */
const reasonOf = (posted: Posted) => posted.text('reason') || null;

/** Confirm, decline, remove: the person acted on, posted with the form. */
async function representativeAction(
  action: 'confirm' | 'decline' | 'remove',
  request: Request,
  fetch: typeof globalThis.fetch,
  organizationId: string,
) {
  const posted = await Posted.of(request);
  const personId = posted.text('personId');
  const name = posted.text('name');
  if (!personId) return invalid(action, {}, posted, m.field_required());
  const params = { organizationId, personId };
  const body = { reason: reasonOf(posted) };
  const result =
    action === 'confirm'
      ? await send(fetch, 'confirmRepresentative', { params, body, key: posted.key() })
      : await send(fetch, 'removeRepresentative', { params, body, key: posted.key() });
  if (!result.ok) return refused(action, result.problem, posted);
  const notices = {
    confirm: m.representative_confirmed,
    decline: m.representative_declined,
    remove: m.representative_removed,
  };
  return { ...accepted(action, notices[action]({ name })), personId };
}

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
      body: { email, name, reason: reasonOf(posted) },
      key: posted.key(),
    });
    return invitationHandedOver(
      'invite',
      result,
      posted,
      { name, email },
      {
        PERSON_HAS_OTHER_ROLE: 'email',
        REPRESENTS_ANOTHER_ORGANIZATION: 'email',
        ALREADY_A_REPRESENTATIVE: 'email',
      },
    );
  },

  confirm: ({ request, fetch, params }) =>
    representativeAction('confirm', request, fetch, params.organizationId),
  decline: ({ request, fetch, params }) =>
    representativeAction('decline', request, fetch, params.organizationId),
  remove: ({ request, fetch, params }) =>
    representativeAction('remove', request, fetch, params.organizationId),

  /** Forgets a representative of this organization who asked for it (the API records who did it). */
  forget: async ({ request, fetch, params }) => {
    const posted = await Posted.of(request);
    const personId = posted.text('personId');
    if (!personId) return invalid('forget', {}, posted, m.field_required());
    if (posted.text('confirm') !== 'yes') {
      return invalid('forget', { confirm: m.forget_confirm_required() }, posted);
    }
    const result = await send(fetch, 'forgetPerson', { params: { personId }, body: {}, key: posted.key() });
    if (!result.ok) return refused('forget', result.problem, posted);
    const member = await read(fetch, 'member', params);
    return { ...accepted('forget', m.representative_forgotten({ member: isolate(member.name) })), personId };
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
        reason: reasonOf(posted),
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
