import { describe, expect, it } from 'vitest';
import { computeOutcome, type OutcomeInput } from '../src/index.ts';
import { at, fastRules, outcomeInput, rules, countedStance as s } from './support/fixtures.ts';

const input = (overrides: Partial<OutcomeInput>): OutcomeInput =>
  outcomeInput({ rules, memberIds: ['a', 'b', 'c'], now: at(200), ...overrides });

describe('computeOutcome', () => {
  it('is open until the feedback window has passed, whatever the stances, when the charter says so', () => {
    const waitForTheWindow = { ...rules, decideWhenAllHaveSpoken: false };
    const outcome = computeOutcome(
      input({
        rules: waitForTheWindow,
        stances: [s('a', 'consent'), s('b', 'consent'), s('c', 'consent')],
        now: at(167),
      }),
    );
    expect(outcome).toMatchObject({ status: 'open', reason: 'feedbackWindowOpen' });
    expect(
      computeOutcome(input({ stances: [s('a', 'consent'), s('b', 'consent')], now: at(168) })).status,
    ).toBe('adopted');
  });
  describe('when everyone has spoken (the default charter)', () => {
    const early = { now: at(1) };
    it('is adopted before the window once every eligible organization has a stance and none blocks', () => {
      expect(
        computeOutcome(
          input({ ...early, stances: [s('a', 'consent'), s('b', 'concerns'), s('c', 'standAside')] }),
        ),
      ).toMatchObject({ status: 'adopted', reason: 'everyoneHasSpoken', tally: { counted: 3, eligible: 3 } });
    });
    it('waits for the window while anyone is silent, even with a quorum', () => {
      expect(
        computeOutcome(input({ ...early, stances: [s('a', 'consent'), s('b', 'consent')] })),
      ).toMatchObject({
        status: 'open',
        reason: 'feedbackWindowOpen',
      });
    });
    it('waits for the window when anyone blocks', () => {
      expect(
        computeOutcome(input({ ...early, stances: [s('a', 'consent'), s('b', 'consent'), s('c', 'block')] })),
      ).toMatchObject({ status: 'open', reason: 'feedbackWindowOpen' });
    });
    it('waits when a stance is on an older text, and never counts recused organizations as silent', () => {
      expect(
        computeOutcome(
          input({
            ...early,
            revision: 2,
            stances: [s('a', 'consent', 2), s('b', 'consent', 2), s('c', 'consent')],
          }),
        ),
      ).toMatchObject({ status: 'open', reason: 'feedbackWindowOpen' });
      expect(
        computeOutcome(
          input({ ...early, recusedIds: ['c'], stances: [s('a', 'consent'), s('b', 'consent')] }),
        ),
      ).toMatchObject({ status: 'adopted', reason: 'everyoneHasSpoken', tally: { eligible: 2 } });
    });
    it('never ends the window of a body without eligible organizations', () => {
      expect(computeOutcome(input({ ...early, memberIds: [] }))).toMatchObject({
        status: 'open',
        reason: 'feedbackWindowOpen',
      });
    });
  });
  it('needs a quorum: two thirds of three is two', () => {
    const one = computeOutcome(input({ stances: [s('a', 'consent')] }));
    expect(one).toMatchObject({
      status: 'open',
      reason: 'quorumNotMet',
      tally: { quorumRequired: 2, counted: 1 },
    });
    expect(computeOutcome(input({ stances: [s('a', 'consent'), s('b', 'consent')] }))).toMatchObject({
      status: 'adopted',
      reason: 'consensus',
    });
  });
  it('rounds the quorum up and never asks for less than one stance', () => {
    const four = input({ memberIds: ['a', 'b', 'c', 'd'] });
    expect(computeOutcome(four).tally.quorumRequired).toBe(3);
    expect(computeOutcome(input({ memberIds: [] }))).toMatchObject({
      status: 'open',
      reason: 'quorumNotMet',
    });
  });
  it('counts concerns and stand-asides toward the quorum without stopping adoption', () => {
    const outcome = computeOutcome(input({ stances: [s('a', 'concerns'), s('b', 'standAside')] }));
    expect(outcome).toMatchObject({ status: 'adopted', tally: { concerns: 1, standAside: 1, counted: 2 } });
  });
  it('is not adopted with a block when the charter has no fallback', () => {
    const outcome = computeOutcome(
      input({ stances: [s('a', 'consent'), s('b', 'consent'), s('c', 'block')] }),
    );
    expect(outcome).toMatchObject({ status: 'notAdopted', reason: 'blocked', tally: { block: 1 } });
  });
  it('lets the last stance of an organization count, and only once', () => {
    const changed = computeOutcome(
      input({ stances: [s('c', 'block'), s('a', 'consent'), s('c', 'consent')] }),
    );
    expect(changed).toMatchObject({ status: 'adopted', tally: { counted: 2, block: 0 } });
    const repeated = computeOutcome(
      input({ stances: [s('a', 'consent'), s('a', 'consent'), s('a', 'consent')] }),
    );
    expect(repeated).toMatchObject({ status: 'open', reason: 'quorumNotMet', tally: { counted: 1 } });
  });
  it('never counts a recused organization or one outside the deciding body', () => {
    const outcome = computeOutcome(
      input({
        recusedIds: ['c'],
        stances: [s('c', 'block'), s('z', 'block'), s('a', 'consent'), s('b', 'consent')],
      }),
    );
    expect(outcome).toMatchObject({
      status: 'adopted',
      tally: { eligible: 2, quorumRequired: 2, counted: 2, block: 0 },
    });
  });
  it('needs stances on the current text for the quorum, but an unreviewed block still stands', () => {
    const stale = computeOutcome(
      input({ revision: 2, stances: [s('a', 'consent', 1), s('b', 'consent', 1)] }),
    );
    expect(stale).toMatchObject({
      status: 'open',
      reason: 'quorumNotMet',
      tally: { counted: 0, needsReview: 2 },
    });
    const staleBlock = computeOutcome(
      input({ revision: 2, stances: [s('a', 'consent', 2), s('b', 'consent', 2), s('c', 'block', 1)] }),
    );
    expect(staleBlock).toMatchObject({
      status: 'notAdopted',
      reason: 'blocked',
      tally: { block: 1, needsReview: 1 },
    });
  });
  describe('with a fallback of three quarters after a second round', () => {
    const members = ['a', 'b', 'c', 'd', 'e'];
    const stances = [s('a', 'consent'), s('b', 'consent'), s('c', 'concerns'), s('d', 'block')];
    it('asks for a second round first', () => {
      expect(computeOutcome(input({ rules: fastRules, memberIds: members, stances }))).toMatchObject({
        status: 'open',
        reason: 'secondRoundRequired',
      });
    });
    it('adopts in the second round when supporting stances reach three quarters of supporting and blocking ones', () => {
      expect(
        computeOutcome(input({ rules: fastRules, memberIds: members, stances, round: 2 })),
      ).toMatchObject({
        status: 'adopted',
        reason: 'fallbackSupermajority',
      });
    });
    it('stand-asides take no part in the supermajority', () => {
      const withStandAside = [...stances, s('e', 'standAside')];
      expect(
        computeOutcome(input({ rules: fastRules, memberIds: members, stances: withStandAside, round: 2 }))
          .status,
      ).toBe('adopted');
    });
    it('is not adopted when the supermajority is missed', () => {
      const twoBlocks = [s('a', 'consent'), s('b', 'consent'), s('c', 'block'), s('d', 'block')];
      expect(
        computeOutcome(input({ rules: fastRules, memberIds: members, stances: twoBlocks, round: 2 })),
      ).toMatchObject({
        status: 'notAdopted',
        reason: 'blocked',
      });
    });
  });
});
