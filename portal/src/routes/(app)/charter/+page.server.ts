import { m } from '$lib/paraglide/messages.js';
import { readOptional, send } from '$lib/server/api';
import { accepted, invalid, Posted, refused } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, locals }) => {
  const charter = await readOptional(fetch, 'charter');
  return {
    charter,
    canFound: !charter && locals.person?.role === 'facilitator',
    canPropose: locals.person?.role === 'representative' || locals.person?.role === 'facilitator',
  };
};

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

export const actions: Actions = {
  /**
   * Records the founding (once, by a facilitator): the coalition's name, its founding members and
   * its first rules. Everything after that changes only by decision.
   */
  found: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const coalitionName = posted.text('coalitionName');
    const members = lines(posted.text('members'));
    const feedbackText = posted.text('minimumFeedbackHours');
    const fields: Record<string, string> = {};
    if (!coalitionName) fields.coalitionName = m.field_required();
    if (members.length === 0) fields.members = m.field_required();
    if (!/^\d{1,4}$/.test(feedbackText) || Number(feedbackText) > 8_760)
      fields.minimumFeedbackHours = m.hours_invalid();
    if (Object.keys(fields).length) return invalid('found', fields, posted);
    const urgentText = posted.text('urgentHours');
    const result = await send(fetch, 'foundCoalition', {
      body: {
        coalitionName,
        rules: {
          quorum: { numerator: 2, denominator: 3 },
          minimumFeedbackHours: Number(feedbackText),
          urgentPath: /^\d{1,4}$/.test(urgentText) ? { minimumFeedbackHours: Number(urgentText) } : null,
          blockFallback: null,
        },
        sharedValues: lines(posted.text('sharedValues')),
        sops: [],
        foundingMembers: members.map((name) => ({ name })),
      },
      key: posted.key(),
    });
    if (!result.ok)
      return refused('found', result.problem, posted, { INVALID_DECISION_RULES: 'urgentHours' });
    return accepted('found', m.coalition_founded());
  },
};
