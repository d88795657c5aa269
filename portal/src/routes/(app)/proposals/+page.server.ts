import { read } from '$lib/server/api';
import { may } from '$lib/server/may';
import type { PageServerLoad } from './$types';

const statuses = [
  'draft',
  'open',
  'adopted',
  'notAdopted',
  'withdrawn',
  'executed',
  'executionFailed',
] as const;
const kinds = ['budgetChange', 'grantAward', 'charterChange', 'membershipChange', 'workingGroup'] as const;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((candidate) => candidate === value);
}

/** Proposals, newest first, filtered by status, kind and deciding body; paged by log position. */
export const load: PageServerLoad = async ({ fetch, url, locals }) => {
  const filters = {
    status: oneOf(statuses, url.searchParams.get('status')),
    kind: oneOf(kinds, url.searchParams.get('kind')),
    body: url.searchParams.get('body') || undefined,
    proposer: url.searchParams.get('proposer') || undefined,
  };
  const before = Number(url.searchParams.get('before')) || undefined;
  const page = await read(fetch, 'proposals', {}, { ...filters, before, limit: 25 });
  return {
    filters,
    statuses,
    kinds,
    proposals: page.proposals,
    next: page.next,
    paged: before !== undefined,
    canPropose: may(locals.person, 'DraftProposal'),
  };
};
