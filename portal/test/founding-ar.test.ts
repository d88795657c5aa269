// The founding walk in Arabic (right to left) and without JavaScript: every step is a plain form post
// and a page load, on a phone-sized screen, on a server that sends no mail. Its own file: one Concord
// per file (the portal's build reads API_URL once).
import { describe, expect, test } from 'vitest';
import { chromiumUnavailable } from './helpers/chromium.ts';
import {
  expectNoAxeViolations,
  messages,
  openBrowser,
  password,
  textOf,
  walkFixture,
  walkTheFounding,
} from './helpers/founding-walk.ts';

const t = messages('ar');

describe.skipIf(chromiumUnavailable())('the founding walk (Arabic, right to left, no JavaScript)', () => {
  const options = walkFixture('founding-ar', {
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
  });

  test('founded, accepted, consented and decided early, in Arabic without a line of JavaScript', async () => {
    const walked = await walkTheFounding(options);
    await expect(walked.facilitator.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await expect(textOf(walked.facilitator, 'h1')).resolves.toBe(t.founding_title);

    // The walk's pages pass axe in Arabic too.
    const { page } = await openBrowser({ ...options, javaScript: true }, 'axe');
    await page.goto(`${options.concord.url}/sign-in`);
    await page.locator('#email').fill('omar@nile.example');
    await page.locator('#password').fill(password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${options.concord.url}/`);
    for (const path of ['/founding', `/proposals/${walked.proposalId}`, '/proposals/new/membership-change']) {
      await page.goto(`${options.concord.url}${path}`);
      await expectNoAxeViolations(page, `${path} (ar)`);
    }
    expect(options.problems).toEqual([]);
    // A long walk on a shared, busy machine: every step waits for what people see, not for a clock.
  }, 600_000);
});
