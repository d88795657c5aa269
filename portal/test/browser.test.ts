// The portal in Debian's Chromium: server-rendered pages, forms without JavaScript, languages and
// right-to-left, accessibility (axe-core). Auth runs against a stand-in API (helpers/fake-api.ts)
// until services/api serves it; the sign-in page itself needs no API at all.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations } from './helpers/axe.ts';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type FakeApi, startFakeApi, testPerson } from './helpers/fake-api.ts';
import { type RunningPortal, startPortal, unreachableApiUrl } from './helpers/portal.ts';

const mainPages = [
  '/',
  '/proposals',
  '/budget',
  '/working-groups',
  '/members',
  '/grants',
  '/charter',
  '/audit',
];

describe.skipIf(chromiumUnavailable())('portal in Chromium', () => {
  let browser: Browser;
  let api: FakeApi;
  /** The portal with its API down (nothing listens at API_URL). */
  let alone: RunningPortal;
  /** The portal with the stand-in API. */
  let served: RunningPortal;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    api = await startFakeApi();
    alone = await startPortal({ apiUrl: await unreachableApiUrl() });
    served = await startPortal({ apiUrl: api.url });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
    await Promise.allSettled([alone?.stop(), served?.stop(), api?.close()]);
  });

  interface Options {
    /** The browser's language (sent as Accept-Language). */
    locale?: string;
    javaScript?: boolean;
    /** Only for axe: it is injected as an inline script, which our CSP rightly refuses. */
    bypassCSP?: boolean;
  }

  /** A fresh browser profile; `problems` collects page errors and console errors (CSP, hydration…). */
  async function open(options: Options = {}) {
    const context = await browser.newContext({
      locale: options.locale ?? 'en-US',
      javaScriptEnabled: options.javaScript ?? true,
      bypassCSP: options.bypassCSP ?? false,
    });
    contexts.push(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    return { context, page, problems };
  }

  async function signIn(page: Page, portal: RunningPortal) {
    await page.goto(`${portal.url}/sign-in`);
    await page.locator('#email').fill(testPerson.email);
    await page.locator('#password').fill(testPerson.password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${portal.url}/`);
  }

  async function expectNoAxeViolations(page: Page, what: string) {
    const violations = await axeViolations(page);
    expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  }

  test('the sign-in page renders with labelled fields and has no axe violations (en, es, fr, ar)', async () => {
    const headings = { 'en-US': 'Sign in', es: 'Iniciar sesión', fr: 'Se connecter', ar: 'تسجيل الدخول' };
    for (const [locale, heading] of Object.entries(headings)) {
      const { page, problems } = await open({ locale, bypassCSP: true });
      const response = await page.goto(`${alone.url}/sign-in`);
      expect(response?.status()).toBe(200);
      await expect(page.locator('h1').textContent()).resolves.toBe(heading);
      await expect(page.locator('label[for=email]').count()).resolves.toBe(1);
      await expect(page.locator('label[for=password]').count()).resolves.toBe(1);
      await expectNoAxeViolations(page, `sign-in (${locale})`);
      expect(problems).toEqual([]);
    }
  });

  test('Arabic renders right-to-left and the layout mirrors', async () => {
    const boxes = async (page: Page) => ({
      brand: await page.locator('.brand').boundingBox(),
      languages: await page.locator('.language-switcher').boundingBox(),
      first: await page.locator('.site-nav li').first().boundingBox(),
      last: await page.locator('.site-nav li').last().boundingBox(),
    });

    const english = await open({ locale: 'en-US' });
    await signIn(english.page, served);
    const ltr = await boxes(english.page);
    await expect(english.page.locator('html').getAttribute('dir')).resolves.toBe('ltr');

    const arabic = await open({ locale: 'ar' });
    await signIn(arabic.page, served);
    await expect(arabic.page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await expect(arabic.page.locator('html').getAttribute('lang')).resolves.toBe('ar');
    await expect(arabic.page.locator('h1').textContent()).resolves.toBe('لوحة المتابعة');
    const rtl = await boxes(arabic.page);

    // English: brand at the left, languages to its right; the nav runs left to right.
    expect(ltr.brand!.x).toBeLessThan(ltr.languages!.x);
    expect(ltr.first!.x).toBeLessThan(ltr.last!.x);
    // Arabic: the same header, mirrored.
    expect(rtl.brand!.x).toBeGreaterThan(rtl.languages!.x);
    expect(rtl.first!.x).toBeGreaterThan(rtl.last!.x);
    const width = arabic.page.viewportSize()!.width;
    expect(rtl.brand!.x).toBeGreaterThan(width / 2);
    expect(ltr.brand!.x + ltr.brand!.width).toBeLessThan(width / 2);
    expect(english.problems).toEqual([]);
    expect(arabic.problems).toEqual([]);
  });

  test('without JavaScript the sign-in form posts and says clearly that the API is unreachable', async () => {
    const { page } = await open({ javaScript: false });
    await page.goto(`${alone.url}/sign-in`);
    await page.locator('#email').fill(testPerson.email);
    await page.locator('#password').fill('whatever');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.locator('form.stacked button[type=submit]').click(),
    ]);
    expect(response.status()).toBe(503);
    await page.waitForLoadState();
    const alert = page.locator('[role=alert]');
    await expect(alert.textContent()).resolves.toContain("Concord's server can't be reached right now");
    await expect(page.locator('#email').inputValue()).resolves.toBe(testPerson.email);
    await expect(page.locator('#password').inputValue()).resolves.toBe('');
  });

  test('without JavaScript, signing in, reading and signing out all work as plain requests', async () => {
    const { page, context } = await open({ javaScript: false });
    await page.goto(`${served.url}/sign-in`);
    await page.locator('#email').fill(testPerson.email);
    await page.locator('#password').fill('wrong password');
    await page.locator('form.stacked button[type=submit]').click();
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain("don't match an account");

    await page.locator('#password').fill(testPerson.password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${served.url}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    const account = (await page.locator('.account').textContent())?.replace(/[\u2068\u2069]/g, '');
    expect(account).toContain(`Signed in as ${testPerson.displayName}`);
    const session = (await context.cookies()).find((cookie) => cookie.name === 'concord_session');
    expect(session?.httpOnly).toBe(true);
    // The portal's server forwarded the session cookie when it asked the API who is signed in.
    expect(api.receivedCookies.some((cookie) => cookie.includes(`concord_session=${session?.value}`))).toBe(
      true,
    );

    await page.locator('.site-nav a[href="/budget"]').click();
    await expect(page.locator('h1').textContent()).resolves.toBe('Budget');
    await expect(page.locator('.site-nav a[aria-current=page]').textContent()).resolves.toBe('Budget');

    await page.locator('.account button').click();
    await page.waitForURL(`${served.url}/sign-in`);
    expect((await context.cookies()).some((cookie) => cookie.name === 'concord_session')).toBe(false);
    await page.goto(`${served.url}/budget`);
    expect(page.url()).toBe(`${served.url}/sign-in?next=%2Fbudget`);
  });

  test('with JavaScript the form is enhanced: errors appear in place, sign-in lands on the page asked for', async () => {
    const { page, problems } = await open();
    await page.goto(`${served.url}/proposals`);
    expect(page.url()).toBe(`${served.url}/sign-in?next=%2Fproposals`);
    await page.locator('#email').fill(testPerson.email);
    await page.locator('#password').fill('wrong password');
    // A marker on window survives only if the page is not reloaded.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    await page.locator('form.stacked button[type=submit]').click();
    await page.locator('[role=alert]').waitFor();
    await expect(page.evaluate(() => (window as unknown as { marker?: number }).marker)).resolves.toBe(42);

    await page.locator('#password').fill(testPerson.password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${served.url}/proposals`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Proposals');
    expect(problems).toEqual([]);
  });

  test('what people type before the JavaScript arrives survives hydration (slow links)', async () => {
    const { page, problems } = await open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/_app/immutable/**', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${served.url}/sign-in`, { waitUntil: 'domcontentloaded' });
    await page.locator('#email').fill(testPerson.email);
    await page.locator('#password').fill(testPerson.password);
    release();
    // The JavaScript arrives and hydrates the page (before the fix, hydration emptied the email field).
    await page.waitForLoadState('networkidle');
    await expect(page.locator('#email').inputValue()).resolves.toBe(testPerson.email);
    await expect(page.locator('#password').inputValue()).resolves.toBe(testPerson.password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${served.url}/`);
    expect(problems).toEqual([]);
  });

  test('the language switcher remembers the choice across navigation and visits', async () => {
    const { page, context, problems } = await open({ locale: 'en-US' });
    await signIn(page, served);
    await page.locator('.language-switcher button[lang=es]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'es');
    await expect(page.locator('h1').textContent()).resolves.toBe('Panel');
    expect(page.url()).toBe(`${served.url}/`);

    // Client-side navigation keeps Spanish…
    await page.locator('.site-nav a[href="/proposals"]').click();
    await page.waitForURL(`${served.url}/proposals`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Propuestas');
    // …and so does a fresh page load, though the browser itself asks for English.
    await page.goto(`${served.url}/budget`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Presupuesto');
    await expect(
      page.locator('.language-switcher button[aria-current=true]').getAttribute('lang'),
    ).resolves.toBe('es');
    const remembered = (await context.cookies()).find((cookie) => cookie.name === 'concord_locale');
    expect(remembered?.value).toBe('es');

    await page.locator('.language-switcher button[lang=ar]').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await expect(page.locator('h1').textContent()).resolves.toBe('الميزانية');
    expect(page.url()).toBe(`${served.url}/budget`);
    expect(problems).toEqual([]);
  });

  test('every main page has no axe violations, in English and in Arabic', async () => {
    for (const locale of ['en-US', 'ar']) {
      const { page, problems } = await open({ locale, bypassCSP: true });
      await signIn(page, served);
      for (const path of mainPages) {
        await page.goto(`${served.url}${path}`);
        await expect(page.locator('h1').count()).resolves.toBe(1);
        await expectNoAxeViolations(page, `${path} (${locale})`);
      }
      expect(problems).toEqual([]);
    }
  });

  test('the skip link is the first stop for the keyboard and moves focus to the content', async () => {
    const { page } = await open();
    await signIn(page, served);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('skip-link');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  });
});
