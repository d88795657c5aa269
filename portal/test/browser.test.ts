// The portal in Debian's Chromium against a real Concord (the API's server with the portal mounted, the
// demo coalition seeded, PGlite in a temporary directory): server-rendered pages, forms without
// JavaScript, languages and right-to-left, accessibility (axe-core) of the sign-in page, sessions and
// password reset (axe on every other page runs in layout.test.ts's English and Arabic walks). A second
// portal whose API is down checks what people see then.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeViolations } from './helpers/axe.ts';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import { demoPages } from './helpers/demo-pages.ts';
import { type RunningPortal, startPortal, unreachableApiUrl } from './helpers/portal.ts';

describe.skipIf(chromiumUnavailable())('portal in Chromium', () => {
  let browser: Browser;
  let concord: RunningConcord;
  /** The portal with its API down (nothing listens at API_URL). */
  let alone: RunningPortal;
  const contexts: BrowserContext[] = [];
  let password: string;
  /** Demo people by role. */
  const people = { representative: '', second: '', facilitator: '', auditor: '', resetter: '' };
  /** Records' ids, discovered from the seeded coalition. */
  let openProposalId = '';
  let otherOpenProposalId = '';
  let otherOrganizationId = '';

  beforeAll(async () => {
    [concord, alone] = await Promise.all([
      startConcord({ demo: true }),
      unreachableApiUrl().then((apiUrl) => startPortal({ apiUrl })),
    ]);
    browser = await launchChromium();
    const pages = await demoPages(concord);
    password = pages.password;
    Object.assign(people, pages.people);
    openProposalId = pages.openProposalId;
    otherOpenProposalId = pages.otherOpenProposalId;
    otherOrganizationId = pages.otherOrganizationId;
  });

  afterAll(async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
    await Promise.allSettled([alone?.stop(), concord?.stop()]);
  });

  interface Options {
    /** The browser's language (sent as Accept-Language). */
    locale?: string;
    javaScript?: boolean;
  }

  /** A fresh browser profile; `problems` collects page errors and console errors (CSP, hydration…). */
  async function open(options: Options = {}) {
    const context = await browser.newContext({
      locale: options.locale ?? 'en-US',
      javaScriptEnabled: options.javaScript ?? true,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    return { context, page, problems };
  }

  async function signIn(page: Page, email = people.representative, base = concord.url) {
    await page.goto(`${base}/sign-in`);
    await page.locator('#email').fill(email);
    await page.locator('#password').fill(password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${base}/`);
  }

  async function expectNoAxeViolations(page: Page, what: string) {
    const violations = await axeViolations(page);
    expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  }

  test('the sign-in page renders with labelled fields and has no axe violations (en, es, fr, ar)', async () => {
    const headings = { 'en-US': 'Sign in', es: 'Iniciar sesión', fr: 'Se connecter', ar: 'تسجيل الدخول' };
    for (const [locale, heading] of Object.entries(headings)) {
      const { page, problems } = await open({ locale });
      const response = await page.goto(`${concord.url}/sign-in`);
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
      firstCell: await page.locator('table.lines tbody tr').first().locator('th').boundingBox(),
      lastCell: await page.locator('table.lines tbody tr').first().locator('td').last().boundingBox(),
    });

    const english = await open({ locale: 'en-US' });
    await signIn(english.page);
    await english.page.goto(`${concord.url}/budget`);
    const ltr = await boxes(english.page);
    await expect(english.page.locator('html').getAttribute('dir')).resolves.toBe('ltr');

    const arabic = await open({ locale: 'ar' });
    await signIn(arabic.page);
    await expect(arabic.page.locator('html').getAttribute('dir')).resolves.toBe('rtl');
    await expect(arabic.page.locator('html').getAttribute('lang')).resolves.toBe('ar');
    await expect(arabic.page.locator('h1').textContent()).resolves.toBe('لوحة المتابعة');
    await arabic.page.goto(`${concord.url}/budget`);
    await expect(arabic.page.locator('#lines-title').textContent()).resolves.toBe('البنود');
    const rtl = await boxes(arabic.page);

    // English: brand at the left, languages to its right; the nav and the table run left to right.
    expect(ltr.brand!.x).toBeLessThan(ltr.languages!.x);
    expect(ltr.first!.x).toBeLessThan(ltr.last!.x);
    expect(ltr.firstCell!.x).toBeLessThan(ltr.lastCell!.x);
    // Arabic: the same page, mirrored.
    expect(rtl.brand!.x).toBeGreaterThan(rtl.languages!.x);
    expect(rtl.first!.x).toBeGreaterThan(rtl.last!.x);
    expect(rtl.firstCell!.x).toBeGreaterThan(rtl.lastCell!.x);
    const width = arabic.page.viewportSize()!.width;
    expect(rtl.brand!.x).toBeGreaterThan(width / 2);
    expect(ltr.brand!.x + ltr.brand!.width).toBeLessThan(width / 2);
    expect(english.problems).toEqual([]);
    expect(arabic.problems).toEqual([]);
  });

  test('without JavaScript the sign-in form posts and says clearly that the API is unreachable', async () => {
    const { page } = await open({ javaScript: false });
    await page.goto(`${alone.url}/sign-in`);
    await page.locator('#email').fill(people.representative);
    await page.locator('#password').fill('whatever');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.locator('form.stacked button[type=submit]').click(),
    ]);
    expect(response.status()).toBe(503);
    await page.waitForLoadState();
    const alert = page.locator('[role=alert]');
    await expect(alert.textContent()).resolves.toContain("Concord's server can't be reached right now");
    await expect(page.locator('#email').inputValue()).resolves.toBe(people.representative);
    await expect(page.locator('#password').inputValue()).resolves.toBe('');
  });

  test('without JavaScript, signing in, reading and signing out all work as plain requests', async () => {
    const { page, context } = await open({ javaScript: false });
    await page.goto(`${concord.url}/sign-in`);
    await page.locator('#email').fill(people.representative);
    await page.locator('#password').fill('wrong password');
    await page.locator('form.stacked button[type=submit]').click();
    await expect(page.locator('[role=alert]').textContent()).resolves.toContain("don't match an account");

    await page.locator('#password').fill(password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${concord.url}/`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Dashboard');
    const account = (await page.locator('.account').textContent())?.replace(/[\u2068\u2069]/g, '');
    expect(account).toContain('Signed in as ');
    const session = (await context.cookies()).find((cookie) => cookie.name === 'concord_session');
    expect(session?.httpOnly).toBe(true);
    // The dashboard shows what waits for this organization, read from the real API.
    await expect(page.locator(`a[href="/proposals/${openProposalId}"]`).count()).resolves.toBeGreaterThan(0);

    await page.locator('.site-nav a[href="/budget"]').click();
    await expect(page.locator('#lines-title').textContent()).resolves.toBe('Lines');
    await expect(page.locator('.site-nav a[aria-current=page]').textContent()).resolves.toBe('Budget');
    // The chart is in the HTML: no script draws it.
    await expect(page.locator('figure.chart svg path.series-allocated').count()).resolves.toBe(1);

    await page.locator('.account button').click();
    await page.waitForURL(`${concord.url}/sign-in`);
    expect((await context.cookies()).some((cookie) => cookie.name === 'concord_session')).toBe(false);
    await page.goto(`${concord.url}/budget`);
    expect(page.url()).toBe(`${concord.url}/sign-in?next=%2Fbudget`);
  });

  test('without JavaScript, forms post: errors appear next to their field, in the reader’s language', async () => {
    // A stance without the reason a block needs: our own check, next to the field.
    const { page, context } = await open({ javaScript: false, locale: 'es' });
    await signIn(page);
    await page.goto(`${concord.url}/proposals/${openProposalId}`);
    await page.locator('input[name=stance][value=block]').check();
    await page.locator('form[action^="?/stance"] button[type=submit]').click();
    await expect(page.locator('#stance-reason-error').textContent()).resolves.toContain('Indica un motivo');
    await expect(page.locator('#stance-reason').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.locator('input[name=stance][value=concerns]').check();
    await page.locator('#stance-reason').fill('Preferimos esperar al informe trimestral.');
    await page.locator('form[action^="?/stance"] button[type=submit]').click();
    await expect(page.locator('.success').textContent()).resolves.toContain('quedó registrada');
    // The answer page shows what the read models held when it was rendered; on a loaded machine they can
    // answer after the command's wait for them. Without JavaScript nothing updates by itself: the stance
    // is confirmed through the API, then the page is opened again, as a person would.
    await expect
      .poll(
        async () => {
          const detail = (await (
            await context.request.get(`${concord.url}/api/proposals/${openProposalId}`)
          ).json()) as { stances: { reason: string | null }[] };
          return detail.stances.some((stance) => stance.reason?.startsWith('Preferimos esperar'));
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await page.goto(`${concord.url}/proposals/${openProposalId}`);
    await expect(page.locator('table.data').last().textContent()).resolves.toContain('Preferimos esperar');
    await context.close();

    // The API refuses (problem+json, code PERSON_HAS_OTHER_ROLE): its message, translated, by the field.
    const facilitator = await open({ javaScript: false, locale: 'es' });
    await signIn(facilitator.page, people.facilitator);
    await facilitator.page.goto(`${concord.url}/members/${otherOrganizationId}`);
    await facilitator.page.locator('#invite-name').fill('Lucía');
    await facilitator.page.locator('#invite-email').fill(people.auditor);
    await facilitator.page.locator('form[action="?/invite"] button[type=submit]').click();
    await expect(facilitator.page.locator('#invite-email-error').textContent()).resolves.toBe(
      'Esta persona ya tiene otra función en Concord (cada persona tiene una).',
    );
    await expect(facilitator.page.locator('#invite-email').inputValue()).resolves.toBe(people.auditor);
  });

  test('with JavaScript the form is enhanced: errors appear in place, sign-in lands on the page asked for', async () => {
    const { page, problems } = await open();
    await page.goto(`${concord.url}/proposals`);
    expect(page.url()).toBe(`${concord.url}/sign-in?next=%2Fproposals`);
    await page.locator('#email').fill(people.representative);
    await page.locator('#password').fill('wrong password');
    // A marker on window survives only if the page is not reloaded.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    await page.locator('form.stacked button[type=submit]').click();
    await page.locator('[role=alert]').waitFor();
    await expect(page.evaluate(() => (window as unknown as { marker?: number }).marker)).resolves.toBe(42);

    await page.locator('#password').fill(password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${concord.url}/proposals`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Proposals');
    expect(problems).toEqual([]);
  });

  test('what people type before the JavaScript arrives survives hydration (slow links)', async () => {
    const { page, problems } = await open();
    let release!: () => void;
    let held!: Promise<void>;
    const hold = () => {
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
    };
    hold();
    await page.route('**/_app/immutable/**', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${concord.url}/sign-in`, { waitUntil: 'domcontentloaded' });
    await page.locator('#email').fill(people.representative);
    await page.locator('#password').fill(password);
    release();
    // The JavaScript arrives and hydrates the page (before the fix, hydration emptied the email field).
    await page.waitForLoadState('networkidle');
    await expect(page.locator('#email').inputValue()).resolves.toBe(people.representative);
    await expect(page.locator('#password').inputValue()).resolves.toBe(password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${concord.url}/`);

    // An amount typed before the script arrives is previewed once it has: who decides, and why.
    hold();
    await page.goto(`${concord.url}/proposals/new/budget-change`, { waitUntil: 'domcontentloaded' });
    await page.locator('#delta-translation').fill('2,500');
    release();
    // (Without a preview the box only asks for the changes; with one, it names the deciding body.)
    await page.locator('.routing-preview strong').waitFor();
    expect(problems).toEqual([]);
  });

  test('the language switcher remembers the choice across navigation and visits', async () => {
    const { page, context, problems } = await open({ locale: 'en-US' });
    await signIn(page);
    await page.locator('.language-switcher button[lang=es]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'es');
    await expect(page.locator('h1').textContent()).resolves.toBe('Panel');
    expect(page.url()).toBe(`${concord.url}/`);

    // Client-side navigation keeps Spanish…
    await page.locator('.site-nav a[href="/proposals"]').click();
    await page.waitForURL(`${concord.url}/proposals`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Propuestas');
    // …and so does a fresh page load, though the browser itself asks for English.
    await page.goto(`${concord.url}/working-groups`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Grupos de trabajo');
    await expect(
      page.locator('.language-switcher button[aria-current=true]').getAttribute('lang'),
    ).resolves.toBe('es');
    const remembered = (await context.cookies()).find((cookie) => cookie.name === 'concord_locale');
    expect(remembered?.value).toBe('es');

    await page.locator('.language-switcher button[lang=ar]').click();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await expect(page.locator('h1').textContent()).resolves.toBe('مجموعات العمل');
    expect(page.url()).toBe(`${concord.url}/working-groups`);
    expect(problems).toEqual([]);
  });

  test('with JavaScript, forms keep working across pages (each page has its own idempotency key)', async () => {
    const { page, problems } = await open();
    await signIn(page, people.second);
    for (const [index, proposalId] of [openProposalId, otherOpenProposalId, openProposalId].entries()) {
      // Client-side navigation, as people move around: no full page load in between.
      await page.locator('.site-nav a[href="/proposals"]').click();
      await page.locator(`a[href="/proposals/${proposalId}"]`).first().click();
      await page.waitForURL(`${concord.url}/proposals/${proposalId}`);
      await page.locator('#comment-text').fill(`Comment number ${index + 1}`);
      await page.locator('form[action^="?/comment"] button[type=submit]').click();
      await page.locator('.comments li', { hasText: `Comment number ${index + 1}` }).waitFor();
      await expect(page.locator('form[action^="?/comment"] [role=alert]').count()).resolves.toBe(0);
    }
    expect(problems).toEqual([]);
  });

  test('the skip link is the first stop for the keyboard and moves focus to the content', async () => {
    const { page } = await open();
    await signIn(page);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('skip-link');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  });

  test('my sessions: another browser is listed and can be signed out from here', async () => {
    const laptop = await open();
    const phone = await open();
    await signIn(laptop.page, people.second);
    await signIn(phone.page, people.second);
    await laptop.page.goto(`${concord.url}/account/sessions`);
    const rows = laptop.page.locator('table.data tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const other = rows.filter({ hasNot: laptop.page.locator('.tag') }).first();
    await other.locator('button').click();
    await laptop.page.locator('.success').waitFor();
    // The phone's session has ended: its next page asks it to sign in.
    await phone.page.goto(`${concord.url}/budget`);
    expect(phone.page.url()).toBe(`${concord.url}/sign-in?next=%2Fbudget`);
    expect(laptop.problems).toEqual([]);
  });

  test('password reset: the mailed link sets a new password, then sign-in works with it', async () => {
    const { page, problems } = await open();
    await page.goto(`${concord.url}/sign-in`);
    await page.locator('a[href="/password-reset"]').click();
    // The link navigates in the page once hydrated: until the new page is in, `#email` is sign-in's field.
    await page.waitForURL(`${concord.url}/password-reset`);
    await page.locator('form[action="?/request"] #email').fill(people.resetter);
    await page.locator('form[action="?/request"] button[type=submit]').click();
    await page.locator('.success').waitFor();
    await page.goto(await concord.lastLink(people.resetter));
    await page.locator('#password').fill('a new password, long enough');
    await page.locator('#confirm').fill('a new password, long enough');
    await page.locator('form[action="?/complete"] button[type=submit]').click();
    await page.waitForURL(`${concord.url}/sign-in?reset=1`);
    await page.locator('.success').waitFor();
    await page.locator('#email').fill(people.resetter);
    await page.locator('#password').fill('a new password, long enough');
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${concord.url}/`);
    expect(problems).toEqual([]);
  });
});
