// Following a proposal, a budget line or a budget question: the state a page shows, and the two form
// actions every page with a follow button spreads into its own (`...followActions`).

import { randomUUID } from 'node:crypto';
import { type Action, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { readOptional, send } from './api';
import { accepted, Posted, refused } from './forms';

type Fetch = typeof fetch;
export const followTypes = ['proposal', 'budgetLine', 'budgetQuestion'] as const;
export type FollowType = (typeof followTypes)[number];

/** The form answer's name for one subject, so a page with several follow forms notes the right one. */
export const followAction = (type: FollowType, id: string) => `follow:${type}:${id}`;

/** What the signed-in person follows, as `type:id` keys (empty when the API can't say). */
export async function loadFollows(fetch: Fetch): Promise<string[]> {
  const list = await readOptional(fetch, 'follows');
  return (list?.follows ?? []).map((follow) => `${follow.subjectType}:${follow.subjectId}`);
}

function change(following: boolean): Action {
  return async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const type = posted.text('subjectType') as FollowType;
    const id = posted.text('subjectId');
    if (!followTypes.includes(type) || id === '' || id.length > 200) {
      // Only a hand-made post gets here: the page's own forms always carry both.
      return fail(400, {
        action: 'follow',
        ok: false,
        message: null,
        fields: {},
        values: {},
        key: randomUUID(),
      });
    }
    const result = await send(fetch, following ? 'follow' : 'unfollow', {
      params: { subjectType: type, subjectId: id },
    });
    if (!result.ok) return refused(followAction(type, id), result.problem, posted);
    return accepted(followAction(type, id), following ? m.followed_notice() : m.unfollowed_notice());
  };
}

export const followActions = { follow: change(true), unfollow: change(false) };
