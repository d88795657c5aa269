import { readOptional } from '$lib/server/api';
import { may } from '$lib/server/may';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, locals }) => {
  const charter = await readOptional(fetch, 'charter');
  return {
    charter,
    // The founding itself is recorded on the founding walk (/founding).
    canFound: !charter && locals.person?.role === 'facilitator',
    canPropose: may(locals.person, 'DraftProposal'),
  };
};
