// What the browser tests do to every page they open: watch it for errors, sign in, check it fits a phone.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, expect } from 'vitest';
import type { RunningConcord } from './concord.ts';

/** A phone's screen: 360 px wide, the narrowest the portal is built for. */
export const PHONE = { width: 360, height: 760 } as const;

/** Where a test's browser contexts and what went wrong in their pages are kept. */
export interface Watch {
  browser: Browser;
  /** Every context opened, for the test file to close (and screenshot on failure). */
  contexts: BrowserContext[];
  /** Page errors and console errors (CSP refusals, hydration errors…), for a test to expect none. */
  problems: string[];
}

/** On a failed test, what each page still open showed, kept as /tmp/concord-<name>-<context>-<page>.png. */
export function screenshotsOnFailure(name: string, contexts: BrowserContext[]): void {
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [index, browserContext] of contexts.entries()) {
      for (const [n, page] of browserContext.pages().entries()) {
        await page
          .screenshot({ path: `/tmp/concord-${name}-${index}-${n}.png`, fullPage: true })
          .catch(() => {});
      }
    }
  });
}

/**
 * After a test file's tests, what they opened is closed: every browser context, then the browser, then
 * Concord. `opened` is read then (the file starts them in its `beforeAll`).
 */
export function closeAfterAll(
  opened: () => { contexts: BrowserContext[]; browser?: Browser; concord?: RunningConcord },
): void {
  afterAll(async () => {
    const { contexts, browser, concord } = opened();
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
    await concord?.stop();
  });
}

/** A fresh browser profile and its page, watched: what goes wrong in it is added to `problems`. */
export async function watchedPage(
  watch: Watch,
  who: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await watch.browser.newContext(options);
  watch.contexts.push(context);
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => watch.problems.push(`${who} pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') watch.problems.push(`${who} console: ${message.text()}`);
  });
  return { context, page };
}

/** Signs `email` in through the sign-in form: on the dashboard afterwards. */
export async function signInAt(
  page: Page,
  base: string,
  email: string,
  password: string,
  landing = '/',
): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL(`${base}${landing}`),
    page.locator('form.stacked button[type=submit]').click(),
  ]);
}

/** The page scrolls no wider than a phone. */
export async function expectPhoneWidth(page: Page, what: string): Promise<void> {
  const width = await page.evaluate(() => document.scrollingElement?.scrollWidth ?? 0);
  expect(width, `${what} is ${width}px wide`).toBeLessThanOrEqual(PHONE.width);
}
