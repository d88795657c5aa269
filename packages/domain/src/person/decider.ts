import { type Decider, type Decision, validating } from '../decider.ts';
import { domainError } from '../errors.ts';
import { type PersonCommand, personCommandSchema } from './commands.ts';
import type { PersonEvent } from './events.ts';

/** A person, as far as the history knows one: an id, and whether they have been forgotten. */
export type PersonState =
  | { readonly status: 'known' }
  | { readonly status: 'forgotten'; readonly at: string };

function decide(command: PersonCommand, state: PersonState): Decision<PersonEvent> {
  const { actor, now: at, personId, context } = command;
  if (state.status === 'forgotten') return domainError('PERSON_ALREADY_FORGOTTEN', { personId });
  // Who may carry it out: the person, their organization (it speaks for them when they cannot), or the
  // facilitator.
  const on =
    actor.personId === personId
      ? 'self'
      : actor.role === 'representative' && context.organizationIds.includes(actor.organizationId)
        ? 'organization'
        : actor.role === 'facilitator'
          ? 'facilitator'
          : null;
  if (!on) return domainError('NOT_YOUR_ORGANIZATION', { personId });
  const { organizationIds } = context;
  return [
    { type: 'PersonForgotten', data: { personId, forgottenBy: actor.personId, on, organizationIds, at } },
  ];
}

function evolve(state: PersonState, event: PersonEvent): PersonState {
  return event.type === 'PersonForgotten' ? { status: 'forgotten', at: event.data.at } : state;
}

/** The person decider: forgetting, once. A person's acts belong to the history; their data does not. */
export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: () => ({ status: 'known' }),
  evolve,
  decide: validating(personCommandSchema, decide),
};
