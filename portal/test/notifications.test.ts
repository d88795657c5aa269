// Notifications in the portal, in Debian's Chromium against a real Concord (the demo coalition) whose
// clock the test moves: an open proposal's 48-hour deadline reminder reaches an open page live (the
// header's count changes without a reload), the list shows it as new and marks it read, the 24-hour one
// then appears in the open list live; the settings page changes mail delivery and time zone (with and
// without JavaScript, with its validation), and the proposal page's deadline follows the zone, named;
// follow buttons work without JavaScript. Every new page at 360 px in en, es, fr, ar (RTL), with and
// without JavaScript, axe on them. With CONCORD_SHOTS=<directory>, screenshots for review.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { formatDate, formatDateTime } from '../src/lib/format.ts';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import { type DemoPages, demoPages } from './helpers/demo-pages.ts';
import {
  expectNoAxeViolations,
  fill,
  type Locale,
  messages,
  plain,
  shot,
  textOf,
} from './helpers/founding-walk.ts';
import {
  closeAfterAll,
  expectPhoneWidth,
  PHONE,
  screenshotsOnFailure,
  signInAt,
  watchedPage,
} from './helpers/pages.ts';

const locales: Locale[] = ['en', 'es', 'fr', 'ar'];
const HOUR = 3_600_000;

describe.skipIf(chromiumUnavailable())('notifications, follows and time zones in the portal', () => {
  let concord: RunningConcord;
  let browser: Browser;
  let demo: DemoPages;
  /** How far the API's clock is ahead of the real time. */
  let offset = 0;
  let proposal: { proposalId: string; title: string; feedbackEndsAt: string };
  let lineUrl: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  /** The first test's page, left open and live through the later tests. */
  let livePage: Page | undefined;

  beforeAll(async () => {
    concord = await startConcord({ demo: true, clock: () => new Date(Date.now() + offset) });
    browser = await launchChromium();
    demo = await demoPages(concord);
    const cookie = await apiCookie(demo.people.representative);
    proposal = await apiGet(cookie, `/api/proposals/${demo.openProposalId}`);
    const { budgets } = await apiGet<{ budgets: { budgetId: string }[] }>(cookie, '/api/budgets');
    lineUrl = `/budget/${budgets[0]!.budgetId}/lines/translation`;
    // Seeded open for a week: the 48-hour reminder is still ahead.
    expect(new Date(proposal.feedbackEndsAt).getTime() - Date.now()).toBeGreaterThan(48 * HOUR);
  }, 180_000);

  screenshotsOnFailure('notifications', contexts);
  closeAfterAll(() => ({ contexts, browser, concord }));

  async function apiCookie(email: string): Promise<string> {
    const response = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: demo.password }),
    });
    expect(response.status).toBe(200);
    return response.headers.getSetCookie()[0]!.split(';')[0]!;
  }

  async function apiGet<T>(cookie: string, path: string): Promise<T> {
    const response = await fetch(`${concord.url}${path}`, { headers: { cookie } });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  /** Moves the API's clock to `at` and runs the reminders' pass there (after the log is processed). */
  async function moveClockTo(at: number) {
    offset = at - Date.now();
    await concord.app.notifications.processor.waitFor(await concord.app.eventStore.head());
    await concord.app.notifications.tick();
  }

  /** A phone-sized browser (360 px) reading `locale`, in Kampala, with or without JavaScript. */
  const phone = (locale: Locale, javaScript: boolean, who: string) =>
    watchedPage({ browser, contexts, problems }, who, {
      locale,
      javaScriptEnabled: javaScript,
      viewport: PHONE,
      timezoneId: 'Africa/Kampala',
    });

  const signIn = (page: Page, email: string) => signInAt(page, concord.url, email, demo.password);

  const cookieOf = async (context: BrowserContext) =>
    (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

  test('a deadline reminder reaches the open page live, is listed as new, then read; the next one appears in the open list', async () => {
    const en = messages('en');
    const { page } = await phone('en', true, 'live');
    livePage = page;
    await signIn(page, demo.people.representative);
    // The demo's own history told her of its decisions; start from nothing unread.
    const cookie = await cookieOf(page.context());
    const cleared = await fetch(`${concord.url}/api/notifications/read`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ all: true }),
    });
    expect(cleared.status).toBe(200);
    await page.goto(`${concord.url}/proposals/${proposal.proposalId}`);
    await page.locator('.live-state[data-state="live"]').waitFor();
    await expect(page.locator('[data-testid=notifications-link] .unread-count').count()).resolves.toBe(0);
    // A mark on the window: a page load would lose it.
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });

    await moveClockTo(new Date(proposal.feedbackEndsAt).getTime() - 47 * HOUR);
    const count = page.locator('[data-testid=notifications-link] .unread-count');
    await count.waitFor();
    expect(plain((await count.textContent()) ?? '')).toContain('1');
    expect(plain((await count.textContent()) ?? '')).toContain(
      fill(en.notifications_unread_count!, { count: '1' }),
    );
    await expect(page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).resolves.toBe(true);
    await shot(page, 'notifications-count-en');

    // The list: the reminder worded in the page's language, linked to the proposal, marked new.
    await page.locator('[data-testid=notifications-link]').click();
    await page.waitForURL(`${concord.url}/notifications`);
    const first = page.locator('[data-testid=notification]').first();
    expect(plain((await first.textContent()) ?? '')).toContain(
      fill(en.notify_feedback_closing_48h!, { title: proposal.title }),
    );
    await expect(first.locator('.new-mark').textContent()).resolves.toBe(en.notifications_new);
    await expect(first.locator('a').getAttribute('href')).resolves.toBe(`/proposals/${proposal.proposalId}`);
    // Shown, so read: the header no longer counts it, nor does the API.
    await expect(page.locator('[data-testid=notifications-link] .unread-count').count()).resolves.toBe(0);
    const list = await apiGet<{ unread: number }>(cookie, '/api/notifications');
    expect(list.unread).toBe(0);
    await expectPhoneWidth(page, '/notifications (en, JavaScript on)');

    // The 24-hour reminder appears in the open list by itself, new, above the first.
    await page.locator('.live-state[data-state="live"]').waitFor();
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    await moveClockTo(new Date(proposal.feedbackEndsAt).getTime() - 23 * HOUR);
    await expect
      .poll(
        async () => plain((await page.locator('[data-testid=notification]').first().textContent()) ?? ''),
        {
          timeout: 30_000,
        },
      )
      .toContain(fill(en.notify_feedback_closing_24h!, { title: proposal.title }));
    expect(plain((await page.locator('[data-testid=notification]').nth(1).textContent()) ?? '')).toContain(
      fill(en.notify_feedback_closing_48h!, { title: proposal.title }),
    );
    await expect(page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).resolves.toBe(true);
    await expect(
      page.locator('[data-testid=notification]').first().locator('.new-mark').count(),
    ).resolves.toBe(1);
    await shot(page, 'notifications-live-en');

    // "Mark all as read" with JavaScript: the notice, nothing unread.
    await page.locator('form[action="?/readAll"] button[type=submit]').click();
    await expect(textOf(page, '.notifications-page .success')).resolves.toBe(en.notifications_marked);
    expect((await apiGet<{ unread: number }>(cookie, '/api/notifications')).unread).toBe(0);
    expect(problems).toEqual([]);
  }, 120_000);

  test('the settings page changes mail delivery and time zone; the proposal page shows its deadline in that zone, named', async () => {
    const en = messages('en');
    const endsAt = proposal.feedbackEndsAt;
    const deadlineIn = (zone: string) =>
      plain(formatDateTime(endsAt, 'en', { timeZone: zone, dateStyle: 'long' }));

    // With JavaScript: the zone is suggested from the browser (Kampala) until one is saved.
    const { page, context } = await phone('en', true, 'settings');
    await signIn(page, demo.people.second);
    await page.goto(`${concord.url}/proposals/${proposal.proposalId}`);
    expect(plain(await textOf(page, '.deadline'))).toContain(deadlineIn('Africa/Kampala'));
    expect(plain(await textOf(page, '.deadline'))).toContain('Africa/Kampala');
    await page.goto(`${concord.url}/account`);
    await page.locator('a[href="/account/notifications"]').first().click();
    await page.waitForURL(`${concord.url}/account/notifications`);
    await expect(page.locator('#timeZone').inputValue()).resolves.toBe('Africa/Kampala');
    expect(plain(await textOf(page, '#timeZone-hint'))).toContain(
      fill(en.settings_zone_from_browser!, { zone: 'Africa/Kampala' }),
    );
    await page.locator('#timeZone').selectOption('Asia/Kuala_Lumpur');
    await page.locator('[name="delivery.feedbackClosing24h"]').selectOption('digest');
    await page.locator('[name="delivery.decisionTaken"]').selectOption('off');
    await page.locator('#digestHour').selectOption('18');
    await page.locator('.settings-page form[action="?/save"] button[type=submit]').click();
    await expect(textOf(page, '.settings-page .success')).resolves.toBe(en.settings_saved);
    const cookie = await cookieOf(context);
    const saved = await apiGet<{
      timeZone: string;
      digestHour: number;
      deliveries: Record<string, string>;
    }>(cookie, '/api/notification-settings');
    expect(saved.timeZone).toBe('Asia/Kuala_Lumpur');
    expect(saved.digestHour).toBe(18);
    expect(saved.deliveries.feedbackClosing24h).toBe('digest');
    expect(saved.deliveries.decisionTaken).toBe('off');
    expect(saved.deliveries.proposalOpened).toBe('immediately');
    // The footer names the zone at once (the page's data was reloaded), and the proposal page uses it.
    expect(plain(await textOf(page, '[data-testid=times-in]'))).toContain('Asia/Kuala_Lumpur');
    await expectPhoneWidth(page, '/account/notifications (en, JavaScript on)');
    await shot(page, 'settings-saved-en');
    await page.goto(`${concord.url}/proposals/${proposal.proposalId}`);
    expect(plain(await textOf(page, '.deadline'))).toContain(deadlineIn('Asia/Kuala_Lumpur'));
    expect(plain(await textOf(page, '.deadline'))).toContain('Asia/Kuala_Lumpur');
    expect(deadlineIn('Asia/Kuala_Lumpur')).not.toBe(deadlineIn('Africa/Kampala'));
    expect(problems).toEqual([]);

    // Without JavaScript: a refused value is named next to its field and nothing changes; then Bogotá.
    const { page: bare } = await phone('en', false, 'settings without JavaScript');
    await bare.context().addCookies(await context.cookies());
    await bare.goto(`${concord.url}/account/notifications`);
    await expect(bare.locator('#timeZone').inputValue()).resolves.toBe('Asia/Kuala_Lumpur');
    await bare
      .locator('#timeZone option[value="America/Bogota"]')
      .evaluate((option) => option.setAttribute('value', 'Mars/Olympus_Mons'));
    await bare.locator('#timeZone').selectOption({ label: 'America/Bogota' });
    await Promise.all([
      bare.waitForEvent('load'),
      bare.locator('.settings-page form[action="?/save"] button[type=submit]').click(),
    ]);
    await expect(textOf(bare, '#save-timeZone-error')).resolves.toBe(en.settings_zone_invalid);
    await expect(bare.locator('#timeZone').getAttribute('aria-invalid')).resolves.toBe('true');
    expect((await apiGet<{ timeZone: string }>(cookie, '/api/notification-settings')).timeZone).toBe(
      'Asia/Kuala_Lumpur',
    );
    await shot(bare, 'settings-invalid-en');
    await bare.goto(`${concord.url}/account/notifications`);
    await bare.locator('#timeZone').selectOption('America/Bogota');
    await Promise.all([
      bare.waitForEvent('load'),
      bare.locator('.settings-page form[action="?/save"] button[type=submit]').click(),
    ]);
    await expect(textOf(bare, '.settings-page .success')).resolves.toBe(en.settings_saved);
    // The page this post rendered already speaks of the new zone.
    expect(plain(await textOf(bare, '[data-testid=times-in]'))).toContain('America/Bogota');
    await bare.goto(`${concord.url}/proposals/${proposal.proposalId}`);
    expect(plain(await textOf(bare, '.deadline'))).toContain(deadlineIn('America/Bogota'));
    expect(plain(await textOf(bare, '.deadline'))).toContain('America/Bogota');
    // The refusal was the page's answer with status 400, which Chromium reports on its console.
    expect(problems.splice(0).every((problem) => problem.includes('400 (Bad Request)'))).toBe(true);
  }, 120_000);

  test('follow and stop following a budget line and a proposal without JavaScript', async () => {
    const en = messages('en');
    const { page, context } = await phone('en', false, 'follow');
    await signIn(page, demo.people.representative);
    const cookie = await cookieOf(context);
    const follows = async () =>
      (
        await apiGet<{ follows: { subjectType: string; subjectId: string }[] }>(cookie, '/api/follows')
      ).follows.map((follow) => `${follow.subjectType}:${follow.subjectId}`);

    await page.goto(`${concord.url}${lineUrl}`);
    const lineForm = page.locator('[data-testid=follow-budgetLine]');
    await expect(lineForm.locator('p').first().textContent()).resolves.toBe(en.follow_state_off);
    await Promise.all([page.waitForEvent('load'), lineForm.locator('button').click()]);
    await expect(page.locator('[data-testid=follow-budgetLine] p').first().textContent()).resolves.toBe(
      en.follow_state_on,
    );
    await expect(textOf(page, '[data-testid=follow-budgetLine] .success')).resolves.toBe(en.followed_notice);
    expect(await follows()).toContain('budgetLine:translation');
    await expectPhoneWidth(page, `${lineUrl} (en, following)`);
    await shot(page, 'line-following-en');
    await page.goto(`${concord.url}${lineUrl}`);
    await Promise.all([
      page.waitForEvent('load'),
      page.locator('[data-testid=follow-budgetLine] button').click(),
    ]);
    await expect(page.locator('[data-testid=follow-budgetLine] p').first().textContent()).resolves.toBe(
      en.follow_state_off,
    );
    expect(await follows()).not.toContain('budgetLine:translation');

    await page.goto(`${concord.url}/proposals/${proposal.proposalId}`);
    await Promise.all([
      page.waitForEvent('load'),
      page.locator('[data-testid=follow-proposal] button').click(),
    ]);
    await expect(page.locator('[data-testid=follow-proposal] p').first().textContent()).resolves.toBe(
      en.follow_state_on,
    );
    expect(await follows()).toContain(`proposal:${proposal.proposalId}`);

    // "Mark all as read" is a plain form too.
    await page.goto(`${concord.url}/notifications`);
    await Promise.all([page.waitForEvent('load'), page.locator('form[action="?/readAll"] button').click()]);
    await expect(textOf(page, '.notifications-page .success')).resolves.toBe(en.notifications_marked);
    expect((await apiGet<{ unread: number }>(cookie, '/api/notifications')).unread).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);

  test('the new pages read on a 360 px phone in every language, with and without JavaScript; axe finds nothing', async () => {
    const paths = ['/notifications', '/account/notifications', `/proposals/${proposal.proposalId}`, lineUrl];
    for (const locale of locales) {
      for (const javaScript of [false, true]) {
        const t = messages(locale);
        const { context, page } = await phone(locale, javaScript, `phone ${locale}`);
        await signIn(page, demo.people.representative);
        for (const path of paths) {
          await page.goto(`${concord.url}${path}`);
          await expect(page.locator('html').getAttribute('dir')).resolves.toBe(
            locale === 'ar' ? 'rtl' : 'ltr',
          );
          if (path === '/notifications') {
            await expect(textOf(page, 'h1')).resolves.toBe(t.notifications_title);
          }
          if (path === '/account/notifications') {
            await expect(textOf(page, 'h1')).resolves.toBe(t.settings_title);
          }
          const what = `${path} (${locale}, JavaScript ${javaScript ? 'on' : 'off'})`;
          await expectPhoneWidth(page, what);
          if (javaScript && (locale === 'en' || locale === 'ar') && !path.startsWith('/proposals')) {
            await expectNoAxeViolations(page, what);
          }
          if (!javaScript && (locale === 'ar' || locale === 'es')) {
            await shot(page, `${path.split('/').filter(Boolean).slice(0, 2).join('-')}-${locale}`);
          }
        }
        await context.close();
      }
    }
    expect(problems).toEqual([]);
  }, 300_000);
  // Last: it moves the clock weeks on.
  test("a partner's person is told their partnership's action falls due, in Arabic without JavaScript, and chooses only those mails; every party hears once it is overdue", async () => {
    const partnerEmail = 'daniel@global-relief.example';
    // Sessions age with the clock: each is opened after the clock moved.
    let partnerCookie = await apiCookie(partnerEmail);
    const { partnerships } = await apiGet<{ partnerships: { partnershipId: string }[] }>(
      partnerCookie,
      '/api/partnerships',
    );
    const partnershipId = partnerships[0]!.partnershipId;
    const detail = await apiGet<{ actions: { status: string; dueDate: string }[] }>(
      partnerCookie,
      `/api/partnerships/${partnershipId}`,
    );
    // The demo's action the partner owns, agreed and in progress.
    const action = detail.actions.find((candidate) => candidate.status === 'inProgress')!;
    const dueEnds = Date.parse(`${action.dueDate}T00:00:00Z`) + 24 * HOUR;
    await moveClockTo(dueEnds - 3 * 24 * HOUR);
    partnerCookie = await apiCookie(partnerEmail);

    const ar = messages('ar');
    const { page } = await phone('ar', false, 'partner in Arabic');
    // A partner's person lands on their partnerships.
    await signInAt(page, concord.url, partnerEmail, demo.password, '/partnerships');
    await page.goto(`${concord.url}/notifications`);
    await expect(textOf(page, 'h1')).resolves.toBe(ar.notifications_title);
    const items = page.locator('[data-testid=notification]');
    const texts = (await items.allTextContents()).map(plain);
    const dueText = plain(
      fill(ar.notify_action_due!, {
        date: formatDate(`${action.dueDate}T12:00:00Z`, 'ar', { timeZone: 'UTC' }),
      }),
    );
    const due = texts.findIndex((text) => text.includes(dueText));
    expect(due, `${dueText} in ${texts.join(' | ')}`).toBeGreaterThanOrEqual(0);
    await expect(items.nth(due).locator('a').getAttribute('href')).resolves.toBe(
      `/partnerships/${partnershipId}`,
    );
    // The round the demo opened told them too; nothing of the coalition's own business reached them.
    expect(texts.some((text) => text.includes(plain(ar.notify_check_in_opened!)))).toBe(true);
    expect(texts).toHaveLength(
      (
        await apiGet<{ notifications: { subject: { partnershipId?: string } }[] }>(
          partnerCookie,
          '/api/notifications',
        )
      ).notifications.filter((n) => n.subject.partnershipId === partnershipId).length,
    );
    await expectPhoneWidth(page, '/notifications (partner, ar, JavaScript off)');
    await shot(page, 'notifications-partner-ar');

    // Their settings offer their partnerships' kinds only, and no calendar of the coalition's deadlines.
    await page.goto(`${concord.url}/account/notifications`);
    const offered = await page
      .locator('select[name^="delivery."]')
      .evaluateAll((selects) => selects.map((select) => select.getAttribute('name')));
    expect(offered.sort()).toEqual([
      'delivery.actionDue',
      'delivery.actionOverdue',
      'delivery.checkInOpened',
    ]);
    await expect(page.locator('#calendar').count()).resolves.toBe(0);
    await page.locator('[name="delivery.actionOverdue"]').selectOption('digest');
    await Promise.all([
      page.waitForEvent('load'),
      page.locator('.settings-page form[action="?/save"] button[type=submit]').click(),
    ]);
    await expect(textOf(page, '.settings-page .success')).resolves.toBe(ar.settings_saved);
    const saved = await apiGet<{ deliveries: Record<string, string> }>(
      partnerCookie,
      '/api/notification-settings',
    );
    expect(saved.deliveries.actionOverdue).toBe('digest');
    await expectPhoneWidth(page, '/account/notifications (partner, ar, JavaScript off)');
    await shot(page, 'settings-partner-ar');

    // The day has ended and it is not done: the coalition's representatives are told too.
    let representative = await apiCookie(demo.people.representative);
    const overdue = async (cookie: string) =>
      (
        await apiGet<{ notifications: { kind: string }[] }>(cookie, '/api/notifications')
      ).notifications.filter((n) => n.kind === 'actionOverdue').length;
    expect(await overdue(representative)).toBe(0);
    await moveClockTo(dueEnds + HOUR);
    representative = await apiCookie(demo.people.representative);
    partnerCookie = await apiCookie(partnerEmail);
    expect(await overdue(representative)).toBe(1);
    expect(await overdue(partnerCookie)).toBe(1);
    // The first test's page, still open and live, was told too; its session had ended with the weeks,
    // so the reload takes it to sign-in, without an error on the way.
    await livePage!.waitForURL((url) => url.pathname === '/sign-in');
    expect(problems).toEqual([]);
  }, 120_000);
});
