// Names for ids: every page shows organizations and working groups by name, never by id alone.
import type { Directory } from '$lib/names';
import { readOptional } from './api';

type Fetch = typeof fetch;

export async function loadDirectory(fetch: Fetch): Promise<Directory> {
  const [members, groups] = await Promise.all([
    readOptional(fetch, 'members'),
    readOptional(fetch, 'workingGroups'),
  ]);
  return {
    organizations: Object.fromEntries(
      (members?.members ?? []).map((member) => [member.organizationId, member.name]),
    ),
    groups: Object.fromEntries((groups?.workingGroups ?? []).map((g) => [g.groupId, g.name])),
  };
}

/** Names of the people behind person ids (comments, stances, the trail): one request for everyone. */
export async function loadPeople(fetch: Fetch): Promise<Record<string, string>> {
  const directory = await readOptional(fetch, 'people');
  return Object.fromEntries((directory?.people ?? []).map((person) => [person.personId, person.name]));
}
