import { describe, expect, test } from 'vitest';
import { roleLabel } from '../src/lib/labels/role.ts';
import { stanceLabel } from '../src/lib/labels/stance.ts';
import { statusLabel } from '../src/lib/labels/status.ts';
import { overwriteGetLocale } from '../src/lib/paraglide/runtime.js';

describe('labels: a code in words, in the reader language', () => {
  test('known codes read as their message, in the current language', () => {
    overwriteGetLocale(() => 'en');
    expect(stanceLabel('standAside')).toBe('Stand aside');
    expect(statusLabel('notAdopted')).toBe('Not adopted');
    overwriteGetLocale(() => 'es');
    expect(stanceLabel('standAside')).not.toBe('Stand aside');
    overwriteGetLocale(() => 'en');
  });

  test('an unknown code shows as itself, or as the table own word for "none"', () => {
    expect(stanceLabel('abstain')).toBe('abstain');
    // Object.prototype's names are not codes.
    expect(statusLabel('toString')).toBe('toString');
    expect(roleLabel(null)).toBe(roleLabel('someone-else'));
    expect(roleLabel(null)).not.toBe('');
  });
});
