import { read } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch }) => {
  const { workingGroups } = await read(fetch, 'workingGroups');
  return { groups: workingGroups };
};
