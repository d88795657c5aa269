import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

const files = sources(src).map((path) => ({ path: relative(src, path), text: readFileSync(path, 'utf8') }));

describe('packages/domain/src', () => {
  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  it('imports nothing but zod and its own files', () => {
    const offenders = files.flatMap(({ path, text }) =>
      [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
        .map((match) => match[1] ?? match[2] ?? '')
        .filter((specifier) => {
          if (specifier === 'zod') return false;
          if (!specifier.startsWith('.')) return true;
          return relative(src, resolve(src, path, '..', specifier)).startsWith('..');
        })
        .map((specifier) => `${path}: ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('reads no clock, draws no random numbers and does no I/O', () => {
    const forbidden = [
      /Date\.now\(/,
      /new Date\(\)/,
      /Math\.random\(/,
      /\bprocess\./,
      /\bconsole\./,
      /\bfetch\(/,
      /\brequire\(/,
      /crypto\./,
    ];
    const offenders = files.flatMap(({ path, text }) =>
      forbidden.filter((pattern) => pattern.test(text)).map((pattern) => `${path}: ${pattern}`),
    );
    expect(offenders).toEqual([]);
  });
});
