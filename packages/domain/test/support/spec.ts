import { expect } from 'vitest';
import {
  type Decider,
  type DomainErrorCode,
  domainEventSchema,
  fold,
  isDomainError,
} from '../../src/index.ts';

/**
 * Given/when/then specifications for a decider, in the manner of Emmett's DeciderSpecification:
 * `spec.given(events).when(command).then(expectedEvents)` or `.thenRejects(code)`.
 * Produced events are also checked against the event schemas (the catalogue's, unless given) and folded, so a decider cannot emit an
 * event its own `evolve` or the catalogue would not accept.
 */
export function specification<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  eventSchema: { safeParse(value: unknown): { error?: { issues: unknown } } } = domainEventSchema,
) {
  return {
    given(history: readonly Event[]) {
      return {
        when(command: Command) {
          const decide = () => decider.decide(command, fold(decider, history));
          return {
            // biome-ignore lint/suspicious/noThenProperty: given/when/then, as in Emmett; never awaited.
            then(expected: readonly Event[]): Event[] {
              const result = decide();
              if (isDomainError(result)) {
                throw new Error(
                  `expected events, got refusal ${result.code}: ${JSON.stringify(result.details)}`,
                );
              }
              expect(result).toEqual(expected);
              for (const event of result) expect(eventSchema.safeParse(event).error?.issues).toBeUndefined();
              fold(decider, result, fold(decider, history));
              return result;
            },
            thenRejects(code: DomainErrorCode, details?: Record<string, unknown>) {
              const result = decide();
              if (!isDomainError(result)) {
                throw new Error(`expected refusal ${code}, got ${JSON.stringify(result)}`);
              }
              expect(result.code).toBe(code);
              expect(result.message.length).toBeGreaterThan(10);
              if (details) expect(result.details).toMatchObject(details);
            },
          };
        },
      };
    },
  };
}
