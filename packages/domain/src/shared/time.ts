const hour = 3_600_000;

/** The instant `hours` after `instant`, as an ISO string in UTC. */
export function addHours(instant: string, hours: number): string {
  return new Date(Date.parse(instant) + hours * hour).toISOString();
}

/** Whether instant `a` is strictly before instant `b` (offsets are honoured). */
export function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}
