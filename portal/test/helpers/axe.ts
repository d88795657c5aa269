// axe-core, injected into the page under test (the pinned devDependency; nothing fetched).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/**
 * Runs axe on the whole page (WCAG 2.x A and AA rules and best practices) and returns its violations.
 * axe's source is evaluated through the DevTools protocol (`page.evaluate`), which the page's CSP does
 * not govern, so the page is checked as people get it, its CSP enforced: no `bypassCSP` (an inline
 * `<script>` tag, as `addScriptTag` adds, is rightly refused by the portal's CSP). Every rule runs on
 * every node; `resultTypes` only spares axe building selectors and HTML for each node that passed
 * (axe's documented speed option), and only the violations leave the page.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Run = (context: Document, options: { resultTypes: ['violations'] }) => Promise<AxeResults>;
    const axe = (globalThis as unknown as { axe: { run: Run } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
}
