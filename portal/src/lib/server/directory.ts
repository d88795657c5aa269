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

/**
 * Names of the people representing these organizations (from each organization's record), for comments,
 * stances and history. Facilitators and auditors have no public record: they are shown by role.
 */
export async function loadPeople(
  fetch: Fetch,
  organizationIds: Iterable<string>,
): Promise<Record<string, string>> {
  const ids = [...new Set(organizationIds)].slice(0, 50);
  const details = await Promise.all(
    ids.map((organizationId) => readOptional(fetch, 'member', { organizationId })),
  );
  const people: Record<string, string> = {};
  for (const detail of details) {
    for (const representative of detail?.representatives ?? [])
      people[representative.personId] = representative.name;
  }
  return people;
}
