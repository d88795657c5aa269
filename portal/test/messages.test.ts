import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const dir = join(import.meta.dirname, '..', 'messages');
const locales = ['en', 'es', 'fr', 'ar'] as const;
const load = (locale: string) =>
  JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')) as Record<string, string>;
const keys = (messages: Record<string, string>) => Object.keys(messages).filter((key) => key !== '$schema');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('message files', () => {
  const english = load('en');

  test.each(locales)('%s has exactly the English keys, none empty', (locale) => {
    const messages = load(locale);
    expect(keys(messages).sort()).toEqual(keys(english).sort());
    for (const key of keys(messages)) expect(messages[key]?.trim(), `${locale}.${key}`).not.toBe('');
  });

  test.each(locales)('%s uses the same placeholders as English', (locale) => {
    const messages = load(locale);
    for (const key of keys(english)) {
      expect(placeholders(messages[key] ?? ''), `${locale}.${key}`).toEqual(placeholders(english[key] ?? ''));
    }
  });

  test('Arabic is actually Arabic', () => {
    const arabic = load('ar');
    for (const key of keys(arabic).filter((key) => key !== 'page_title')) {
      expect(arabic[key], key).toMatch(/[\u0600-\u06ff]/);
    }
  });
});
