import { describe, expect, test } from 'vitest';
import { isCurrent, safeReturnPath } from '../src/lib/navigation.ts';
import { parseSetCookie } from '../src/lib/server/cookies.ts';
import { may } from '../src/lib/server/may.ts';
import { parseMe } from '../src/lib/server/me.ts';

describe('safeReturnPath', () => {
  test('keeps same-site paths', () => {
    expect(safeReturnPath('/proposals?status=open#p1')).toBe('/proposals?status=open#p1');
    expect(safeReturnPath('/')).toBe('/');
  });

  test('refuses anything that could leave the site', () => {
    for (const value of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '',
      null,
    ]) {
      expect(safeReturnPath(value)).toBe('/');
    }
  });
});

describe('isCurrent', () => {
  test('marks a section and its sub-pages, the dashboard only itself', () => {
    expect(isCurrent('/', '/')).toBe(true);
    expect(isCurrent('/', '/budget')).toBe(false);
    expect(isCurrent('/budget', '/budget/line-1')).toBe(true);
    expect(isCurrent('/budget', '/budgets')).toBe(false);
  });
});

describe('parseSetCookie', () => {
  test('keeps the API’s attributes', () => {
    expect(
      parseSetCookie('concord_session=a%2Bb==; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=3600'),
    ).toEqual({
      name: 'concord_session',
      value: 'a%2Bb==',
      options: { path: '/', httpOnly: true, secure: true, sameSite: 'strict', maxAge: 3600 },
    });
  });

  test('adds neither Secure nor HttpOnly the API did not set (plain-http installs)', () => {
    expect(parseSetCookie('x=1')?.options).toEqual({
      path: '/',
      httpOnly: false,
      secure: false,
      sameSite: undefined,
    });
  });

  test('reads an expiry and ignores garbage', () => {
    expect(parseSetCookie('x=; Expires=Thu, 01 Jan 1970 00:00:00 GMT')?.options.expires?.getTime()).toBe(0);
    expect(parseSetCookie('no-equals-sign')).toBeNull();
  });
});

describe('parseMe', () => {
  test('reads the API’s Me', () => {
    expect(
      parseMe({
        personId: 'p1',
        email: 'amal@example.org',
        name: 'Amal',
        role: 'representative',
        organizationId: 'o1',
        awaitingConfirmationBy: null,
        sessionId: 's1',
      }),
    ).toEqual({
      id: 'p1',
      name: 'Amal',
      email: 'amal@example.org',
      role: 'representative',
      organizationId: 'o1',
      organizationName: null,
      sessionId: 's1',
      awaitingConfirmationBy: null,
    });
  });

  test('keeps the organization that must confirm a person without a role', () => {
    const awaiting = { organizationId: 'o2', name: 'Frontera Viva' };
    expect(
      parseMe({
        personId: 'p2',
        email: 'nadia@example.org',
        name: 'Nadia',
        role: 'none',
        organizationId: null,
        awaitingConfirmationBy: awaiting,
        sessionId: 's2',
      })?.awaitingConfirmationBy,
    ).toEqual(awaiting);
  });

  test('refuses what is not a person', () => {
    expect(parseMe(null)).toBeNull();
    expect(parseMe({ name: 'no id' })).toBeNull();
  });
});

describe('ticked checkboxes come back after a post', () => {
  test('a name posted several times is read back one value per line', async () => {
    const { ticked } = await import('../src/lib/forms.ts');
    const values = { lines: 'grants\ntranslation', title: 'x' };
    expect(ticked(values, 'lines', 'grants')).toBe(true);
    expect(ticked(values, 'lines', 'translation')).toBe(true);
    expect(ticked(values, 'lines', 'travel')).toBe(false);
    expect(ticked(values, 'leads', 'grants')).toBe(false);
  });
});

describe('may: the forms a page offers follow the domain permission table', () => {
  test('a role is offered a command only when the API would accept it from that role', () => {
    const facilitator = { role: 'facilitator' };
    const representative = { role: 'representative' };
    // Questions are asked by member organizations: the secretariat was once offered a form the API refused.
    expect(may(facilitator, 'RaiseBudgetQuestion')).toBe(false);
    expect(may(representative, 'RaiseBudgetQuestion')).toBe(true);
    expect(may(facilitator, 'DraftProposal')).toBe(true);
    expect(may(facilitator, 'TakeStance')).toBe(false);
    expect(may({ role: 'auditor' }, 'CommentOnProposal')).toBe(false);
    expect(may({ role: 'none' }, 'DraftProposal')).toBe(false);
    expect(may(null, 'DraftProposal')).toBe(false);
  });
});
