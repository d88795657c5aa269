import type { z } from 'zod';
import { type DomainError, domainError } from './errors.ts';
import { checkPermission } from './permissions.ts';

/** What `decide` answers: the new events (possibly none), or a refusal. Never both, never a throw. */
export type Decision<Event> = Event[] | DomainError;

/**
 * An aggregate's rules as three pure functions (the Decider pattern).
 * `decide` sees only the aggregate's own state and the command; facts from other aggregates
 * arrive inside the command's `context`.
 */
export interface Decider<Command, Event, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Decision<Event>;
}

/** Folds events into a state, from the decider's initial state unless one is given. */
export function fold<State, Event>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: readonly Event[],
  from: State = decider.initialState(),
): State {
  return events.reduce(decider.evolve, from);
}

/**
 * Wraps a decide function so every command is checked first against the permission table (may this role
 * issue this command at all?), then against its schema: the domain does not trust its caller to have
 * validated (amounts must be integers, reasons non-empty, …).
 */
export function validating<Command, Event, State>(
  schema: z.ZodType<Command>,
  decide: (command: Command, state: State) => Decision<Event>,
): (command: Command, state: State) => Decision<Event> {
  return (command, state) => {
    const forbidden = checkPermission(command);
    if (forbidden) return forbidden;
    const parsed = schema.safeParse(command);
    if (!parsed.success) {
      return domainError('INVALID_COMMAND', {
        issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
    }
    return decide(parsed.data, state);
  };
}
