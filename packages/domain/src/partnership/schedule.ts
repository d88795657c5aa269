import type { PartnershipState } from './decider.ts';

/** How long a round the schedule opens stays open: two weeks, time for a monthly call to fall within it. */
export const SCHEDULED_ROUND_DAYS = 14;

/** What the check-in schedule does now for a partnership, if anything. */
export type CheckInStep =
  | { readonly step: 'close'; readonly roundId: string }
  | { readonly step: 'open'; readonly round: number; readonly closesAt: string };

/** `instant` moved `months` calendar months on (the day clamped to the month's last). */
export function addMonths(instant: string, months: number): string {
  const date = new Date(instant);
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const last = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, last));
  return date.toISOString();
}

/**
 * The schedule the parties agreed (`checkInEveryMonths`): an open round whose closing time has passed is
 * closed; with none open, a round opens once the rhythm's months have passed since the last one opened
 * (or since the partnership was established), for `SCHEDULED_ROUND_DAYS`. `round` numbers the rounds, so
 * two instances running the schedule name the same round.
 */
export function checkInStep(state: PartnershipState, now: string): CheckInStep | null {
  if (state.status !== 'active') return null;
  const nowMs = Date.parse(now);
  if (state.openRoundId) {
    const open = state.rounds[state.openRoundId];
    return open && Date.parse(open.closesAt) <= nowMs ? { step: 'close', roundId: open.roundId } : null;
  }
  const rounds = Object.values(state.rounds);
  const lastOpened = rounds.reduce(
    (latest, round) => (Date.parse(round.openedAt) > Date.parse(latest) ? round.openedAt : latest),
    state.establishedAt,
  );
  if (Date.parse(addMonths(lastOpened, state.checkInEveryMonths)) > nowMs) return null;
  const closesAt = new Date(nowMs + SCHEDULED_ROUND_DAYS * 86_400_000).toISOString();
  return { step: 'open', round: rounds.length + 1, closesAt };
}
