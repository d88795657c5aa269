import { usage } from './errors.ts';

/** A point of history given on the command line: a global position or an ISO time. */
export type Moment = { position: number } | { time: Date };

export function parseMoment(text: string, what: string): Moment {
  if (/^\d+$/.test(text)) {
    const position = Number(text);
    if (!Number.isSafeInteger(position)) throw usage(`${what}: position ${text} is too large`);
    return { position };
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const time = new Date(text);
    if (!Number.isNaN(time.getTime())) return { time };
  }
  throw usage(
    `${what}: "${text}" is neither a global position (a whole number) nor an ISO time (e.g. 2025-03-01T09:00:00Z)`,
  );
}
