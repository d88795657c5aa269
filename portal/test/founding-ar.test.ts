// The founding walk in Arabic (right to left) and without JavaScript: every step is a plain form post
// and a page load, on a phone-sized screen, on a server that sends no mail. Its own file: one Concord
// per file (the portal's build reads API_URL once).
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import {
  expectNoAxeViolations,
  messages,
  openBrowser,
  password,
  textOf,
  type WalkOptions,
  walkTheFounding,
} from './helpers/founding-walk.ts';

const t = messages('ar');

describe.skipIf(chromiumUnavailable())('the founding walk (Arabic, right to left, no JavaScript)', () => {
  let concord: RunningConcord;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  let options: WalkOptions;

  beforeAll(async () => {
    concord = await startConcord({ mailDelivers: false });
    browser = await launchChromium();
    options = {
      concord,
      browser,
      locale: 'ar',
      browserLocale: 'ar',
      javaScript: false,
      coalition: 'تحالف الأنهار الثلاثة',
      facilitator: { name: 'أمينة يوسف', email: 'amina@secretariat.example' },
      representatives: [
        { name: 'رنا صالح', email: 'rana@cedar.example', organization: 'تعاونية الأرز' },
        { name: 'عمر حداد', email: 'omar@nile.example', organization: 'جسور النيل' },
        { name: 'Camila Rojas', email: 'camila@frontera.example', organization: 'Frontera Viva' },
      ],
      problems,
      contexts,
    };
  });

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [index, browserContext] of contexts.entries()) {
      for (const [n, page] of browserContext.pages().entries()) {
        await page
          .screenshot({ path: `/tmp/concord-founding-ar-${index}-${n}.png`, fullPage: true })
          .catch(() => {});
      }
    }
  });

  afterAll(async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
    await concord?.stop();
  });

  test('founded, accepted, consented and decided early, in Arabic without a line of JavaScript', async () => {
    const walked = await walkTheFounding(options);
    await expect(walked.facilitator.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await expect(textOf(walked.facilitator, 'h1')).resolves.toBe(t.founding_title);

    // The walk's pages pass axe in Arabic too.
    const { page } = await openBrowser({ ...options, javaScript: true }, 'axe', true);
    await page.goto(`${concord.url}/sign-in`);
    await page.locator('#email').fill('omar@nile.example');
    await page.locator('#password').fill(password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${concord.url}/`);
    for (const path of ['/founding', `/proposals/${walked.proposalId}`, '/proposals/new/membership-change']) {
      await page.goto(`${concord.url}${path}`);
      await expectNoAxeViolations(page, `${path} (ar)`);
    }
    expect(problems).toEqual([]);
    // A long walk on a shared, busy machine: every step waits for what people see, not for a clock.
  }, 600_000);
});
