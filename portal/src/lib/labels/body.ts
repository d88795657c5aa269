import { type Directory, groupName } from '$lib/names';
import { m } from '$lib/paraglide/messages.js';

export type Body = { type: 'coalition' } | { type: 'workingGroup'; groupId: string };

/** "The full coalition" or "Working group Finance". */
export function bodyLabel(body: Body | null, directory: Directory): string {
  if (!body) return m.body_not_yet();
  return body.type === 'coalition'
    ? m.body_coalition()
    : m.body_group({ group: `\u2068${groupName(directory, body.groupId)}\u2069` });
}
