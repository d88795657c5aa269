import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const dir = join(import.meta.dirname, '..', 'messages');
const locales = ['en', 'es', 'fr', 'ar'] as const;
/** A message with variants (plural forms): its declarations, selectors and a text per case. */
interface Variants {
  declarations: string[];
  selectors: string[];
  match: Record<string, string>;
}
type Message = string | [Variants];
/** Every text of a message: a simple message's own, or each case of one with variants. */
const texts = (message: Message | undefined): string[] =>
  message === undefined ? [] : typeof message === 'string' ? [message] : Object.values(message[0].match);
const load = (locale: string) => {
  const raw = JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')) as Record<string, Message>;
  // One text per message for the checks below: the cases of a message with variants, joined.
  return Object.fromEntries(Object.entries(raw).map(([key, message]) => [key, texts(message).join('\n')]));
};
const keys = (messages: Record<string, string>) => Object.keys(messages).filter((key) => key !== '$schema');
const placeholders = (text: string) =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort();

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

  test.each(locales)('%s gives every message with variants a catch-all case (plural forms)', (locale) => {
    const raw = JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf8')) as Record<string, Message>;
    for (const [key, message] of Object.entries(raw)) {
      if (typeof message === 'string' || key === '$schema') continue;
      const cases = Object.keys(message[0].match);
      expect(
        cases.some((name) => /=\*$/.test(name)),
        `${locale}.${key} has no "=*" case`,
      ).toBe(true);
    }
  });

  test('Arabic is actually Arabic', () => {
    const arabic = load('ar');
    for (const key of keys(arabic).filter((key) => key !== 'page_title')) {
      expect(arabic[key], key).toMatch(/[\u0600-\u06ff]/);
    }
  });
});
