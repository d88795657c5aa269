import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasBidiReordering,
  hasControlCharacters,
  hasVisibleCharacters,
  isWellFormedText,
  nameSchema,
  textSchema,
  titleSchema,
} from '../src/index.ts';

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? [] : (result.error?.issues.map((issue) => issue.message) ?? []);

describe('text a person wrote: one set of rules for every command', () => {
  it('keeps ordinary text, normalized: NFC, \\n line breaks, no surrounding space', () => {
    expect(textSchema.parse('  We meet monthly.\r\nAgenda first.\rThen\tvotes.  ')).toBe(
      'We meet monthly.\nAgenda first.\nThen\tvotes.',
    );
    // e + combining acute accent becomes the one precomposed character.
    expect(textSchema.parse('Cafe\u0301')).toBe('Café');
    // Arabic with the marks people's keyboards insert, and mixed-direction prose with isolates.
    expect(textSchema.parse('ميزانية \u2067KURN\u2069 \u200f2025')).toBe(
      'ميزانية \u2067KURN\u2069 \u200f2025',
    );
    expect(titleSchema.parse('منحة \u200fKURN 50,000')).toBe('منحة \u200fKURN 50,000');
    expect(nameSchema.parse('  Amal Hassan ')).toBe('Amal Hassan');
  });

  it('refuses lone surrogates, NUL and terminal escapes everywhere', () => {
    for (const schema of [textSchema, titleSchema, nameSchema]) {
      expect(messages(schema.safeParse('a\ud800b'))).toEqual(['not well-formed Unicode (a lone surrogate)']);
      expect(messages(schema.safeParse('\udc00'))).toEqual(['not well-formed Unicode (a lone surrogate)']);
      expect(schema.safeParse('a\u0000b').success).toBe(false);
      expect(schema.safeParse('\u001b[2J\u001b[31mred').success).toBe(false);
      expect(schema.safeParse('bell\u0007').success).toBe(false);
      expect(schema.safeParse('c1\u009b31m').success).toBe(false);
      expect(schema.safeParse('del\u007f').success).toBe(false);
    }
  });

  it('allows tab and new line in long texts only', () => {
    expect(textSchema.safeParse('line\nline\tcell').success).toBe(true);
    expect(messages(titleSchema.safeParse('two\nlines'))).toEqual([
      'a title is one line without control characters',
    ]);
    expect(nameSchema.safeParse('tab\tname').success).toBe(false);
    expect(nameSchema.safeParse('line\u2028separator').success).toBe(false);
  });

  it('refuses bidi overrides in any text, and every reordering control in titles and names', () => {
    const spoof = 'Grant USD \u202e000,05\u202c to KURN';
    expect(messages(textSchema.safeParse(spoof))).toEqual(['no bidi override characters (U+202D, U+202E)']);
    expect(messages(titleSchema.safeParse(spoof))).toEqual([
      'a title has no bidi embedding, override or isolate',
    ]);
    expect(titleSchema.safeParse('Grant \u2067KURN to USD 50\u2069').success).toBe(false);
    expect(nameSchema.safeParse('\u202bName').success).toBe(false);
    expect(nameSchema.safeParse('Name\u202d').success).toBe(false);
  });

  it('needs visible characters: nothing but spaces, zero-width or filler characters is empty', () => {
    for (const invisible of [
      '\u200b\u200b',
      '\u200d',
      '\ufeff',
      '\u3164',
      '\u2800',
      '\u0301',
      '\u00a0\u2003',
    ]) {
      expect(titleSchema.safeParse(invisible).success, JSON.stringify(invisible)).toBe(false);
      expect(textSchema.safeParse(invisible).success, JSON.stringify(invisible)).toBe(false);
    }
    expect(messages(titleSchema.safeParse('\u200b\u200bx'))).toEqual([]);
    expect(textSchema.safeParse('   ').success).toBe(false);
  });

  it('keeps the lengths: 20,000 for texts, 500 for titles, 200 for names', () => {
    expect(textSchema.safeParse('x'.repeat(20_000)).success).toBe(true);
    expect(textSchema.safeParse('x'.repeat(20_001)).success).toBe(false);
    expect(titleSchema.safeParse('x'.repeat(500)).success).toBe(true);
    expect(titleSchema.safeParse('x'.repeat(501)).success).toBe(false);
    expect(nameSchema.safeParse('x'.repeat(200)).success).toBe(true);
    expect(nameSchema.safeParse('x'.repeat(201)).success).toBe(false);
  });

  it('the predicates agree with the schemas on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const accepted = textSchema.safeParse(value).success;
        const normalized = isWellFormedText(value)
          ? value.replace(/\r\n?/g, '\n').normalize('NFC').trim()
          : null;
        const expected =
          normalized !== null &&
          normalized.length > 0 &&
          !hasControlCharacters(normalized, true) &&
          !hasBidiReordering(normalized, true) &&
          hasVisibleCharacters(normalized);
        expect(accepted).toBe(expected);
        expect(isWellFormedText(value)).toBe(
          (value as unknown as { isWellFormed(): boolean }).isWellFormed(),
        );
        if (titleSchema.safeParse(value).success) expect(accepted).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});
