import { type Decider, type Decision, validating } from '../decider.ts';
import { domainError } from '../errors.ts';
import { refuseRepeat, withExecuted } from '../shared/execution.ts';
import { type CharterCommand, charterCommandSchema } from './commands.ts';
import type { Sop } from './documents.ts';
import type { CharterEvent } from './events.ts';
import { checkDecisionRules, type DecisionRules } from './rules.ts';

/** A standard operating procedure with the number of times it has been adopted. */
export interface VersionedSop extends Sop {
  readonly version: number;
}

/** The coalition charter: decision rules, shared values and SOPs. One per coalition (stream `charter`). */
export type CharterState =
  | { readonly status: 'unfounded' }
  | {
      readonly status: 'founded';
      readonly coalitionName: string;
      readonly rules: DecisionRules;
      readonly sharedValues: readonly string[];
      readonly sops: Readonly<Record<string, VersionedSop>>;
      readonly executedProposalIds: readonly string[];
    };

function decide(command: CharterCommand, state: CharterState): Decision<CharterEvent> {
  switch (command.type) {
    case 'FoundCoalition': {
      if (state.status === 'founded') return domainError('COALITION_ALREADY_FOUNDED');
      const unsound = checkDecisionRules(command.rules);
      if (unsound) return unsound;
      const { type: _type, actor: _actor, now, ...founding } = command;
      return [{ type: 'CoalitionFounded', data: { ...founding, at: now } }];
    }
    case 'AmendCharter': {
      if (state.status !== 'founded') return domainError('COALITION_NOT_FOUNDED');
      const { execution, now: at } = command;
      const repeated = refuseRepeat(state.executedProposalIds, execution);
      if (repeated) return repeated;
      if (
        command.rules === null &&
        command.sharedValues === null &&
        command.adoptSops.length === 0 &&
        command.retireSopIds.length === 0
      ) {
        return domainError('EMPTY_CHANGE');
      }
      const unsound = command.rules && checkDecisionRules(command.rules);
      if (unsound) return unsound;
      const unknownSop = command.retireSopIds.find((sopId) => !(sopId in state.sops));
      if (unknownSop !== undefined) return domainError('SOP_NOT_FOUND', { sopId: unknownSop });

      const events: CharterEvent[] = [];
      if (command.rules) {
        events.push({ type: 'DecisionRulesChanged', data: { rules: command.rules, execution, at } });
      }
      if (command.sharedValues) {
        events.push({
          type: 'SharedValuesRevised',
          data: { sharedValues: command.sharedValues, execution, at },
        });
      }
      for (const sop of command.adoptSops) {
        const version = (state.sops[sop.sopId]?.version ?? 0) + 1;
        events.push({ type: 'SopAdopted', data: { ...sop, version, execution, at } });
      }
      for (const sopId of command.retireSopIds) {
        events.push({ type: 'SopRetired', data: { sopId, execution, at } });
      }
      return events;
    }
  }
}

function evolve(state: CharterState, event: CharterEvent): CharterState {
  if (event.type === 'CoalitionFounded') {
    const { coalitionName, rules, sharedValues, sops } = event.data;
    return {
      status: 'founded',
      coalitionName,
      rules,
      sharedValues,
      sops: Object.fromEntries(sops.map((sop) => [sop.sopId, { ...sop, version: 1 }])),
      executedProposalIds: [],
    };
  }
  if (state.status !== 'founded') return state;
  const executed = withExecuted(state.executedProposalIds, event.data.execution.proposalId);
  switch (event.type) {
    case 'DecisionRulesChanged':
      return { ...state, rules: event.data.rules, executedProposalIds: executed };
    case 'SharedValuesRevised':
      return { ...state, sharedValues: event.data.sharedValues, executedProposalIds: executed };
    case 'SopAdopted': {
      const { sopId, title, text, version } = event.data;
      return {
        ...state,
        sops: { ...state.sops, [sopId]: { sopId, title, text, version } },
        executedProposalIds: executed,
      };
    }
    case 'SopRetired': {
      const { [event.data.sopId]: _retired, ...sops } = state.sops;
      return { ...state, sops, executedProposalIds: executed };
    }
  }
}

/** The charter decider: founding, then changes only by executing adopted charter proposals. */
export const charterDecider: Decider<CharterCommand, CharterEvent, CharterState> = {
  initialState: () => ({ status: 'unfounded' }),
  evolve,
  decide: validating(charterCommandSchema, decide),
};
