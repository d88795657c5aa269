// The outcome forecast in words, from the domain's computed forecast (never re-derived in the portal):
// adopted at the window's end, everyone has spoken, blocked (named), quorum missing (plural forms).
import { defaultDecisionRules, forecastOutcome, type OutcomeInput } from '@concord/domain';
import { describe, expect, test } from 'vitest';
import { forecastText } from '../src/lib/labels/forecast.ts';

const names: Record<string, string> = { a: 'Cedar Collective', b: 'Nile Bridges', c: 'Frontera Viva' };
const waitForTheWindow = { ...defaultDecisionRules, decideWhenAllHaveSpoken: false };
const input = (overrides: Partial<OutcomeInput>): OutcomeInput => ({
  rules: waitForTheWindow,
  memberIds: ['a', 'b', 'c', 'd', 'e', 'f'],
  recusedIds: [],
  stances: [],
  revision: 1,
  round: 1,
  feedbackEndsAt: '2026-12-09T12:00:00.000Z',
  now: '2026-12-02T12:00:00.000Z',
  ...overrides,
});
const stance = (organizationId: string, kind: 'consent' | 'concerns' | 'standAside' | 'block') => ({
  organizationId,
  stance: kind,
  revision: 1,
});
const words = (locale: 'en' | 'es' | 'fr' | 'ar', timeZone = 'UTC') => ({
  locale,
  timeZone,
  name: (id: string) => names[id] ?? id,
});
const plain = (text: string) => text.replace(/[\u2066-\u2069]/g, '');

describe('forecastText', () => {
  test('adopted at the window’s end: the day, in the reader’s time zone', () => {
    const forecast = forecastOutcome(
      input({ stances: ['a', 'b', 'c', 'd'].map((id) => stance(id, 'consent')) }),
    );
    expect(plain(forecastText(forecast, words('en')))).toBe(
      'It will be adopted on December 9, 2026 at 12:00 PM unless someone blocks.',
    );
    // Tokyo is nine hours ahead: the same moment is 9 PM there.
    expect(plain(forecastText(forecast, words('en', 'Asia/Tokyo')))).toContain('December 9, 2026 at 9:00 PM');
    expect(plain(forecastText(forecast, words('es')))).toMatch(/^Se adoptará el 9 de diciembre de 2026/);
  });

  test('everyone has spoken: adopted at the window’s end, or now when the charter allows', () => {
    const all = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => stance(id, 'consent'));
    expect(plain(forecastText(forecastOutcome(input({ stances: all })), words('en')))).toBe(
      'Everyone has spoken and nobody blocks: it will be adopted on December 9, 2026 at 12:00 PM unless someone blocks.',
    );
    const now = forecastOutcome(input({ rules: defaultDecisionRules, stances: all }));
    expect(forecastText(now, words('en'))).toBe(
      'Everyone has spoken and nobody blocks: it can be adopted now.',
    );
    expect(forecastText(now, words('fr'))).toContain('peut être adoptée dès maintenant');
  });

  test('blocked: by whom, by name', () => {
    const forecast = forecastOutcome(
      input({
        stances: [stance('a', 'block'), stance('b', 'consent'), stance('c', 'block'), stance('d', 'consent')],
      }),
    );
    expect(plain(forecastText(forecast, words('en')))).toBe(
      'Blocked by Cedar Collective and Frontera Viva: it will not be adopted while the block stands.',
    );
    expect(plain(forecastText(forecast, words('es')))).toContain(
      'Bloqueada por Cedar Collective y Frontera Viva',
    );
  });

  test('quorum missing: how many more, with the language’s plural forms', () => {
    // Six eligible, a 2/3 quorum is 4: with three stances one more is needed, with two, two more.
    const one = forecastOutcome(input({ stances: ['a', 'b', 'c'].map((id) => stance(id, 'consent')) }));
    const two = forecastOutcome(input({ stances: ['a', 'b'].map((id) => stance(id, 'consent')) }));
    expect(plain(forecastText(one, words('en')))).toBe(
      'Quorum not met yet: 1 more stance is needed before December 9, 2026 at 12:00 PM.',
    );
    expect(plain(forecastText(two, words('en')))).toMatch(/^Quorum not met yet: 2 more stances are needed/);
    expect(plain(forecastText(one, words('es')))).toMatch(/^Todavía no hay quórum: falta 1 postura más/);
    expect(plain(forecastText(two, words('fr')))).toMatch(/il manque encore 2 positions/);
    expect(forecastText(one, words('ar'))).toContain('يلزم موقف واحد آخر');
    expect(forecastText(two, words('ar'))).toContain('يلزم موقفان آخران');
  });
});
