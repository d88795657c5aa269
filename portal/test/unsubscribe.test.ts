// A mail's "stop these mails" link, followed in Debian's Chromium on a 360 px phone without JavaScript (as
// from a mail app): opening it changes nothing (mail scanners open links), the button turns that kind of
// mail off through the API's one-click route, and a damaged link says so. English and Arabic.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unsubscribeToken } from '../../services/api/src/notifications/unsubscribe.ts';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import { expectNoHorizontalScroll, messages } from './helpers/founding-walk.ts';

describe.skipIf(chromiumUnavailable())('unsubscribing from a mail link', () => {
  let concord: RunningConcord;
  let browser: Browser;

  beforeAll(async () => {
    concord = await startConcord({ demo: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await concord?.stop();
  });

  /** A representative's cookie and id, and how they get decision mails now. */
  async function person(email: string) {
    const signIn = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: concord.demo!.password }),
    });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const { personId } = (await signIn.json()) as { personId: string };
    const delivery = async () => {
      const settings = await fetch(`${concord.url}/api/notification-settings`, { headers: { cookie } });
      return ((await settings.json()) as { deliveries: Record<string, string> }).deliveries.decisionTaken;
    };
    return { personId, delivery };
  }

  test.each(['en', 'ar'] as const)(
    'turns one kind of mail off only when the button is pressed (%s)',
    async (locale) => {
      const words = messages(locale);
      const representatives = concord.demo!.people.filter((someone) => someone.role === 'representative');
      const someone = await person(representatives[locale === 'en' ? 0 : 1]!.email);
      expect(await someone.delivery()).toBe('immediately');
      const secret = await concord.app.notifications.unsubscribeSecret(someone.personId);
      const token = unsubscribeToken(secret!, someone.personId, 'decisionTaken');

      const context = await browser.newContext({
        locale,
        javaScriptEnabled: false,
        viewport: { width: 360, height: 760 },
      });
      const page = await context.newPage();
      await page.goto(`${concord.url}/unsubscribe?token=${token}`);
      await expectNoHorizontalScroll(page, `/unsubscribe (${locale})`);
      expect(await page.locator('h1').textContent()).toBe(words.unsubscribe_title);
      // Opening the link changed nothing.
      expect(await someone.delivery()).toBe('immediately');
      await page.locator('form:has(input[name=token]) button[type=submit]').click();
      await expect(page.locator('.success[role=status]').textContent()).resolves.toBe(words.unsubscribe_done);
      expect(await someone.delivery()).toBe('off');

      // A link cut short in the mail app: said so, nothing changed.
      await page.goto(`${concord.url}/unsubscribe?token=${token.slice(0, -6)}`);
      await page.locator('form:has(input[name=token]) button[type=submit]').click();
      await expect(page.locator('.error[role=alert]').textContent()).resolves.toBe(words.unsubscribe_invalid);
      await expectNoHorizontalScroll(page, `/unsubscribe refused (${locale})`);
      await context.close();
    },
  );
});
