import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eventCataloguePath, renderEventCatalogue } from '../scripts/event-catalogue.ts';
import { eventSchemaVersions } from '../src/index.ts';

describe('docs/events.md', () => {
  const rendered = renderEventCatalogue();

  it('matches the zod schemas (if not, run `npx pnpm@12.21.0 --filter @concord/domain docs:events`)', () => {
    const committed = readFileSync(eventCataloguePath, 'utf8');
    expect(
      committed === rendered,
      'docs/events.md is stale: run `npx pnpm@12.21.0 --filter @concord/domain docs:events` and commit the result',
    ).toBe(true);
  });

  it('documents every event type with its version', () => {
    for (const [type, version] of Object.entries(eventSchemaVersions)) {
      expect(rendered).toContain(`### ${type}\n`);
      expect(rendered).toMatch(new RegExp(`### ${type}\\n\\n[^\\n]*Schema version ${version}`));
    }
    expect(rendered).toContain('Schema version 2 (upcast from v1)');
  });
});
