import { describe, expect, it } from 'vitest';
import { historyDecider, type PersonEvent, personDecider, streamIdForCommand } from '../src/index.ts';
import { at, auditor, facilitator, rep, system } from './support/fixtures.ts';
import { specification } from './support/spec.ts';

const spec = specification(personDecider);
const forget = (actor = rep('o1', 'amal'), organizationIds = ['o1']) =>
  ({ type: 'ForgetPerson', actor, now: at(1), personId: 'amal', context: { organizationIds } }) as const;
const forgotten = (
  forgottenBy: string,
  on: 'self' | 'organization' | 'facilitator',
  organizationIds = ['o1'],
): PersonEvent => ({
  type: 'PersonForgotten',
  data: { personId: 'amal', forgottenBy, on, organizationIds, at: at(1) },
});

describe('ForgetPerson', () => {
  it('lets the person forget themself', () => {
    spec
      .given([])
      .when(forget())
      .then([forgotten('amal', 'self')]);
  });
  it('lets their organization, or the facilitator, carry it out when they cannot', () => {
    spec
      .given([])
      .when(forget(rep('o1', 'samir')))
      .then([forgotten('samir', 'organization')]);
    spec
      .given([])
      .when(forget(facilitator, []))
      .then([forgotten('facilitator-1', 'facilitator', [])]);
  });
  it('refuses another organization, auditors and process steps', () => {
    spec
      .given([])
      .when(forget(rep('o2', 'nadia')))
      .thenRejects('NOT_YOUR_ORGANIZATION');
    spec.given([]).when(forget(auditor)).thenRejects('AUDITOR_READ_ONLY');
    spec.given([]).when(forget(system)).thenRejects('PEOPLE_ONLY');
  });
  it("lives in the person's own stream", () => {
    expect(streamIdForCommand(forget())).toBe('person-amal');
  });
  it('forgets a person once', () => {
    spec
      .given([forgotten('amal', 'self')])
      .when(forget(facilitator, []))
      .thenRejects('PERSON_ALREADY_FORGOTTEN');
  });
});

describe('RecordHistoryRewrite', () => {
  const hash = (char: string) => char.repeat(64);
  const record = {
    type: 'RecordHistoryRewrite',
    actor: system,
    now: at(2),
    rewriteId: 'r1',
    reason: 'Names of people taken out of events recorded before version 2',
    rewritten: [
      { eventId: 'e1', streamId: 'member-o1', globalPosition: 5, previousHash: hash('a'), hash: hash('b') },
    ],
    previousHeadDigest: hash('c'),
    headDigest: hash('d'),
  } as const;
  const decide = (command: object, state = historyDecider.initialState()) =>
    historyDecider.decide(command as never, state);
  it('records a rewrite once, by a process step only, in the history stream', () => {
    expect(streamIdForCommand(record as never)).toBe('history');
    const events = decide(record);
    expect(events).toMatchObject([
      { type: 'HistoryRewritten', data: { rewriteId: 'r1', headDigest: hash('d') } },
    ]);
    const state = historyDecider.evolve(historyDecider.initialState(), (events as never[])[0]!);
    expect(decide(record, state)).toMatchObject({ code: 'DECISION_ALREADY_EXECUTED' });
    expect(decide({ ...record, actor: facilitator }, state)).toMatchObject({
      code: 'DECISION_EXECUTION_ONLY',
    });
    expect(decide({ ...record, headDigest: 'not hex' }, state)).toMatchObject({
      code: 'INVALID_COMMAND',
    });
  });
});
