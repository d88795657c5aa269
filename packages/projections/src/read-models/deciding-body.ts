import type { DecidingBody } from './primitives.ts';

/** The deciding body of a row's two columns (`*_type`, `*_group_id`); null when it names none. */
export function bodyOf(type: string | null, groupId: string | null): DecidingBody | null {
  if (type === 'coalition') return { type: 'coalition' };
  if (type === 'workingGroup' && groupId) return { type: 'workingGroup', groupId };
  return null;
}
