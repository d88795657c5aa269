import { type Decider, type Decision, validating } from '../decider.ts';
import { type LogCommand, logCommandSchema } from './commands.ts';
import type { LogEvent } from './events.ts';
import { keyNameOf } from './keys.ts';

/** The witnessed log's published keys (stream `log`): the current one last. */
export interface LogState {
  readonly publicKeys: readonly string[];
}

function decide(command: LogCommand, state: LogState): Decision<LogEvent> {
  const current = state.publicKeys.at(-1) ?? null;
  // Published on every start: the same key again records nothing.
  if (current === command.publicKey) return [];
  return [
    {
      type: 'LogKeyPublished',
      data: {
        keyName: keyNameOf(command.publicKey),
        publicKey: command.publicKey,
        replaces: current,
        at: command.now,
      },
    },
  ];
}

function evolve(state: LogState, event: LogEvent): LogState {
  return { publicKeys: [...state.publicKeys, event.data.publicKey] };
}

/** The log decider: each new checkpoint-signing key is published once, in the order used. */
export const logDecider: Decider<LogCommand, LogEvent, LogState> = {
  initialState: () => ({ publicKeys: [] }),
  evolve,
  decide: validating(logCommandSchema, decide),
};
