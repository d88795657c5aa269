import { describe, expect, it } from 'vitest';
import { forecastOutcome, type OutcomeInput } from '../src/index.ts';
import { at, fastRules, outcomeInput, rules, countedStance as s } from './support/fixtures.ts';

// Given the charter, the deciding body and the stances so far, when a member looks at an open proposal,
// then the forecast says what the computed outcome will be if nobody changes their stance.
const waitForTheWindow = { ...rules, decideWhenAllHaveSpoken: false };
const input = (overrides: Partial<OutcomeInput>): OutcomeInput =>
  outcomeInput({
    rules: waitForTheWindow,
    memberIds: ['a', 'b', 'c', 'd', 'e', 'f'],
    now: at(24),
    ...overrides,
  });

describe('forecastOutcome', () => {
  it('with a quorum and no block: adopted when the window ends, unless someone blocks', () => {
    const forecast = forecastOutcome(
      input({ stances: [s('a', 'consent'), s('b', 'consent'), s('c', 'concerns'), s('d', 'standAside')] }),
    );
    expect(forecast).toMatchObject({ kind: 'adoptedAtWindowEnd', at: at(168) });
  });

  it('after the window, with a quorum and no block: adoptable now, waiting for someone to decide', () => {
    const forecast = forecastOutcome(
      input({
        now: at(200),
        stances: [s('a', 'consent'), s('b', 'consent'), s('c', 'consent'), s('d', 'consent')],
      }),
    );
    expect(forecast.kind).toBe('adoptable');
  });

  it('with a block and no fallback: blocked, naming who blocks (their last stance counts)', () => {
    const forecast = forecastOutcome(
      input({
        stances: [s('a', 'consent'), s('b', 'block'), s('c', 'block'), s('c', 'consent'), s('d', 'consent')],
      }),
    );
    expect(forecast).toMatchObject({ kind: 'blocked', by: ['b'], secondRound: false });
  });

  it('with a block and a fallback in the charter: a second round, not the end', () => {
    const forecast = forecastOutcome(
      input({
        rules: fastRules,
        stances: [s('a', 'consent'), s('b', 'block'), s('c', 'consent'), s('d', 'consent')],
      }),
    );
    expect(forecast).toMatchObject({ kind: 'blocked', by: ['b'], secondRound: true });
  });

  it('without a quorum: says how many more stances are needed (recused organizations are not counted)', () => {
    // Six members, one recused: five eligible, a 2/3 quorum is 4; two have spoken, so 2 more.
    const forecast = forecastOutcome(
      input({ recusedIds: ['f'], stances: [s('a', 'consent'), s('b', 'concerns'), s('f', 'block')] }),
    );
    expect(forecast).toMatchObject({ kind: 'quorumMissing', needed: 2, at: at(168) });
    expect(forecast.tally).toMatchObject({ eligible: 5, quorumRequired: 4, counted: 2 });
  });

  it('a stance on an older text does not count toward the quorum until reviewed', () => {
    const forecast = forecastOutcome(
      input({
        revision: 2,
        stances: [s('a', 'consent', 1), s('b', 'consent', 1), s('c', 'consent', 2), s('d', 'consent', 2)],
      }),
    );
    expect(forecast).toMatchObject({ kind: 'quorumMissing', needed: 2 });
  });

  it('everyone has spoken, nobody blocks, the charter waits for the window: adopted when it ends', () => {
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => s(id, 'consent'));
    expect(forecastOutcome(input({ stances: all }))).toMatchObject({
      kind: 'everyoneHasSpoken',
      at: at(168),
    });
  });

  it('everyone has spoken and the charter lets that end the wait: it can be decided now', () => {
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => s(id, id === 'f' ? 'standAside' : 'consent'));
    expect(forecastOutcome(input({ rules, stances: all }))).toMatchObject({
      kind: 'everyoneHasSpoken',
      at: null,
    });
  });
});
