// Concord with the demo coalition and a browser for one test file, and its people signed in, for the
// browser tests that only read pages (each file its own Concord: see concord.ts).
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium.ts';
import { type RunningConcord, startConcord } from './concord.ts';
import { type DemoPages, demoPages } from './demo-pages.ts';

export interface DemoBrowser {
  concord: RunningConcord;
  browser: Browser;
  pages: DemoPages;
}

/** Started before the file's tests, stopped after them; its fields are set once `beforeAll` has run. */
export function demoBrowser(): DemoBrowser {
  const demo = {} as DemoBrowser;
  beforeAll(async () => {
    demo.concord = await startConcord({ demo: true });
    demo.browser = await launchChromium();
    demo.pages = await demoPages(demo.concord);
  });
  afterAll(async () => {
    await demo.browser?.close();
    await demo.concord?.stop();
  });
  return demo;
}

/** A browser context in `locale` (chosen as the language switcher does) with `email` signed in. */
export async function signedInContext(
  { concord, browser, pages }: DemoBrowser,
  email: string,
  options: { locale: string; viewport?: { width: number; height: number }; javaScriptEnabled?: boolean },
): Promise<BrowserContext> {
  const context = await browser.newContext(options);
  await context.addCookies([{ name: 'concord_locale', value: options.locale, url: concord.url }]);
  const page = await context.newPage();
  await page.goto(`${concord.url}/sign-in`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(pages.password);
  await page.locator('form.stacked button[type=submit]').click();
  await page.waitForURL(`${concord.url}/`);
  await page.close();
  return context;
}
