import { type Decider, type Decision, validating } from '../decider.ts';
import { domainError } from '../errors.ts';
import { type HistoryCommand, historyCommandSchema } from './commands.ts';
import type { HistoryEvent } from './events.ts';

/** The rewrites recorded so far (stream `history`). */
export interface HistoryState {
  readonly rewriteIds: readonly string[];
}

function decide(command: HistoryCommand, state: HistoryState): Decision<HistoryEvent> {
  const { rewriteId, reason, rewritten, previousHeadDigest, headDigest, now: at } = command;
  if (state.rewriteIds.includes(rewriteId)) return domainError('DECISION_ALREADY_EXECUTED', { rewriteId });
  return [
    { type: 'HistoryRewritten', data: { rewriteId, reason, rewritten, previousHeadDigest, headDigest, at } },
  ];
}

function evolve(state: HistoryState, event: HistoryEvent): HistoryState {
  return { rewriteIds: [...state.rewriteIds, event.data.rewriteId] };
}

/** The history decider: rewrites of stored history are recorded, each once. */
export const historyDecider: Decider<HistoryCommand, HistoryEvent, HistoryState> = {
  initialState: () => ({ rewriteIds: [] }),
  evolve,
  decide: validating(historyCommandSchema, decide),
};
