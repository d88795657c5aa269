import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Every module the browser entry reaches, by following its relative imports. */
function reachable(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(join(src, file), 'utf8');
    seen.set(file, text);
    for (const [, target] of text.matchAll(/from '\.\/([^']+)'/g)) visit(target!);
  };
  visit(entry);
  return seen;
}

describe('the browser entry', () => {
  it('reaches no Node built-in and no Buffer: it runs on WebCrypto alone', () => {
    const modules = reachable('browser.ts');
    expect([...modules.keys()].sort()).toEqual([
      'browser.ts',
      'bytes.ts',
      'checkpoint.ts',
      'crypto.ts',
      'note.ts',
      'rfc9162.ts',
      'verify-checkpoint.ts',
      'witness-core.ts',
    ]);
    for (const [file, text] of modules) {
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      expect(code, file).not.toMatch(/from 'node:|require\(|\bBuffer\b|\bprocess\./);
    }
  });
});
