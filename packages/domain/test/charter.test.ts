import { describe, it } from 'vitest';
import { type CharterCommand, type CharterEvent, charterDecider } from '../src/index.ts';
import { at, auditor, exec, facilitator, rep, rules, system } from './support/fixtures.ts';
import { specification } from './support/spec.ts';

const spec = specification(charterDecider);

const founding = {
  coalitionName: 'Refugee-Led Coalition',
  rules,
  sharedValues: ['Nothing about us without us'],
  sops: [{ sopId: 'grants', title: 'Grant-making', text: 'Calls are open for 30 days.' }],
  foundingMembers: [
    { organizationId: 'o1', name: 'Org One', representativeIds: [] },
    { organizationId: 'o2', name: 'Org Two', representativeIds: [] },
  ],
};

const found: CharterCommand = { type: 'FoundCoalition', actor: facilitator, now: at(0), ...founding };
const founded: CharterEvent = { type: 'CoalitionFounded', data: { ...founding, at: at(0) } };

const amend = (
  overrides: Partial<Extract<CharterCommand, { type: 'AmendCharter' }>> = {},
): CharterCommand => ({
  type: 'AmendCharter',
  actor: system,
  now: at(10),
  execution: exec('p1'),
  rules: null,
  sharedValues: null,
  adoptSops: [],
  retireSopIds: [],
  ...overrides,
});

describe('FoundCoalition', () => {
  it('records the founding charter and members', () => {
    spec.given([]).when(found).then([founded]);
  });
  it('may be entered by a representative or a process step too', () => {
    spec
      .given([])
      .when({ ...found, actor: rep('o1') })
      .then([founded]);
    spec
      .given([])
      .when({ ...found, actor: system })
      .then([founded]);
  });
  it('is refused a second time', () => {
    spec.given([founded]).when(found).thenRejects('COALITION_ALREADY_FOUNDED');
  });
  it('is refused to an auditor', () => {
    spec
      .given([])
      .when({ ...found, actor: auditor })
      .thenRejects('AUDITOR_READ_ONLY');
  });
  it('refuses rules that cannot work', () => {
    for (const unworkable of [
      { ...rules, quorum: { numerator: 4, denominator: 3 } },
      { ...rules, urgentPath: { minimumFeedbackHours: 500 } },
      { ...rules, blockFallback: { supermajority: { numerator: 5, denominator: 4 } } },
    ]) {
      spec
        .given([])
        .when({ ...found, rules: unworkable })
        .thenRejects('INVALID_DECISION_RULES');
    }
  });
  it('refuses a malformed command (a fractional quorum, no founding member)', () => {
    spec
      .given([])
      .when({ ...found, rules: { ...rules, quorum: { numerator: 1.5, denominator: 3 } } })
      .thenRejects('INVALID_COMMAND');
    spec
      .given([])
      .when({ ...found, foundingMembers: [] })
      .thenRejects('INVALID_COMMAND');
  });
});

describe('AmendCharter', () => {
  const newRules = { ...rules, minimumFeedbackHours: 240, urgentPath: { minimumFeedbackHours: 48 } };
  it('applies every part of an adopted charter change as its own event', () => {
    spec
      .given([founded])
      .when(
        amend({
          rules: newRules,
          sharedValues: ['Equal voice'],
          adoptSops: [
            { sopId: 'grants', title: 'Grant-making', text: 'Calls are open for 45 days.' },
            { sopId: 'travel', title: 'Travel', text: 'Economy class.' },
          ],
          retireSopIds: ['grants'],
        }),
      )
      .then([
        { type: 'DecisionRulesChanged', data: { rules: newRules, execution: exec('p1'), at: at(10) } },
        {
          type: 'SharedValuesRevised',
          data: { sharedValues: ['Equal voice'], execution: exec('p1'), at: at(10) },
        },
        {
          type: 'SopAdopted',
          data: {
            sopId: 'grants',
            title: 'Grant-making',
            text: 'Calls are open for 45 days.',
            version: 2,
            execution: exec('p1'),
            at: at(10),
          },
        },
        {
          type: 'SopAdopted',
          data: {
            sopId: 'travel',
            title: 'Travel',
            text: 'Economy class.',
            version: 1,
            execution: exec('p1'),
            at: at(10),
          },
        },
        { type: 'SopRetired', data: { sopId: 'grants', execution: exec('p1'), at: at(10) } },
      ]);
  });
  it('is refused to people: only the execution of an adopted proposal changes the charter', () => {
    spec
      .given([founded])
      .when(amend({ actor: facilitator, rules: newRules }))
      .thenRejects('DECISION_EXECUTION_ONLY');
    spec
      .given([founded])
      .when(amend({ actor: rep('o1'), rules: newRules }))
      .thenRejects('DECISION_EXECUTION_ONLY');
    spec
      .given([founded])
      .when(amend({ actor: auditor, rules: newRules }))
      .thenRejects('AUDITOR_READ_ONLY');
  });
  it('is refused before the founding', () => {
    spec
      .given([])
      .when(amend({ rules: newRules }))
      .thenRejects('COALITION_NOT_FOUNDED');
  });
  it('applies a decision only once', () => {
    const applied: CharterEvent = {
      type: 'DecisionRulesChanged',
      data: { rules: newRules, execution: exec('p1'), at: at(10) },
    };
    spec
      .given([founded, applied])
      .when(amend({ rules: newRules }))
      .thenRejects('DECISION_ALREADY_EXECUTED');
  });
  it('refuses a change that changes nothing', () => {
    spec.given([founded]).when(amend()).thenRejects('EMPTY_CHANGE');
  });
  it('refuses unworkable rules', () => {
    spec
      .given([founded])
      .when(amend({ rules: { ...rules, quorum: { numerator: 3, denominator: 2 } } }))
      .thenRejects('INVALID_DECISION_RULES');
  });
  it('refuses to retire an SOP the charter does not have', () => {
    spec
      .given([founded])
      .when(amend({ retireSopIds: ['nope'] }))
      .thenRejects('SOP_NOT_FOUND', { sopId: 'nope' });
  });
});
