// The privacy page and being forgotten, in Debian's Chromium against a real Concord (the demo coalition):
// the page reads on a 360 px phone in every language, right to left in Arabic, with and without
// JavaScript; a representative forgets themself through the plain form post, is signed out and told so;
// afterwards a proposal they took a stance on names "a former representative of" their organization, and
// neither it nor the organization's page (which no longer lists them) shows their name, in every language.
// With CONCORD_SHOTS=<directory>, screenshots of the pages at 360 px (English and Arabic) for review.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import { expectNoAxeViolations, fill, type Locale, messages, shot, textOf } from './helpers/founding-walk.ts';
import {
  closeAfterAll,
  expectPhoneWidth,
  PHONE,
  screenshotsOnFailure,
  signInAt,
  watchedPage,
} from './helpers/pages.ts';

const locales: Locale[] = ['en', 'es', 'fr', 'ar'];
/** The demo's Kampala Urban Refugee Network has two representatives: Grace forgets herself, Joseph stays. */
const forgetful = { name: 'Grace Atim', email: 'grace@kurn.example' };
const colleague = 'joseph@kurn.example';
const organization = 'Kampala Urban Refugee Network';

describe.skipIf(chromiumUnavailable())('privacy: the page, and being forgotten', () => {
  let concord: RunningConcord;
  let browser: Browser;
  let password: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    concord = await startConcord({ demo: true });
    browser = await launchChromium();
    password = concord.demo!.password;
  });

  screenshotsOnFailure('privacy', contexts);
  closeAfterAll(() => ({ contexts, browser, concord }));

  /** A phone-sized browser (360 px) reading `locale`, with or without JavaScript. */
  const phone = (locale: Locale, javaScript: boolean, who: string) =>
    watchedPage({ browser, contexts, problems }, who, {
      locale,
      javaScriptEnabled: javaScript,
      viewport: PHONE,
    });

  const signIn = (page: Page, email: string) => signInAt(page, concord.url, email, password);

  test('the privacy page reads on a phone in every language, with and without JavaScript', async () => {
    // Without JavaScript in every language; with it (and axe, which is a script) in English and Arabic.
    const runs = [
      ...locales.map((locale) => ({ locale, javaScript: false })),
      { locale: 'en' as const, javaScript: true },
      { locale: 'ar' as const, javaScript: true },
    ];
    for (const { locale, javaScript } of runs) {
      const t = messages(locale);
      const { context, page } = await phone(locale, javaScript, `privacy ${locale}`);
      // Signed out, from the sign-in page's footer.
      await page.goto(`${concord.url}/sign-in`);
      await page.locator('footer.site-footer a[href="/privacy"]').click();
      await page.waitForURL(`${concord.url}/privacy`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(locale);
      await expect(page.locator('html').getAttribute('dir')).resolves.toBe(locale === 'ar' ? 'rtl' : 'ltr');
      await expect(textOf(page, 'h1')).resolves.toBe(t.privacy_title);
      for (const key of ['privacy_kept_title', 'privacy_who_title', 'privacy_retention_title']) {
        await expect(page.locator('h2', { hasText: t[key] as string }).count()).resolves.toBe(1);
      }
      const text = (await page.locator('main').textContent()) ?? '';
      for (const key of ['privacy_retention_sessions', 'privacy_retention_logs', 'privacy_forget_what']) {
        expect(text).toContain(t[key]);
      }
      // The confirmation is for the person just forgotten, not for whoever opens the address.
      await expect(page.locator('.success').count()).resolves.toBe(0);
      await expectPhoneWidth(page, `/privacy (${locale}, JavaScript ${javaScript ? 'on' : 'off'})`);
      if (javaScript) await expectNoAxeViolations(page, `/privacy (${locale})`);
      else if (locale === 'en' || locale === 'ar') await shot(page, `privacy-${locale}`);
      await context.close();
    }
    // Nothing to interact with: the page ships no JavaScript of its own.
    const html = await (await fetch(`${concord.url}/privacy`)).text();
    expect(html).not.toContain('<script type="module"');
    expect(problems).toEqual([]);
  }, 120_000);

  test('a representative forgets themself without JavaScript; their stances then show a former representative', async () => {
    const en = messages('en');
    const { context, page } = await phone('en', false, 'forgetful');
    await signIn(page, forgetful.email);
    const { personId } = (await (
      await fetch(`${concord.url}/api/auth/me`, {
        headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
      })
    ).json()) as { personId: string };

    // The account page, from the name in the header.
    await page.locator('a.account-link').click();
    await page.waitForURL(`${concord.url}/account`);
    await expect(textOf(page, 'h1')).resolves.toBe(en.account_title);
    await expectPhoneWidth(page, '/account (en)');
    await shot(page, 'account-en');

    // Without the tick nothing happens (the server checks it too, for a browser that skips `required`).
    await page.locator('input[name=confirm]').evaluate((box) => box.removeAttribute('required'));
    const before = problems.length;
    await page.locator('form[action="?/forget"] button[type=submit]').click();
    await page.locator('.field-error', { hasText: en.forget_confirm_required as string }).waitFor();
    // The refusal is the page's answer with status 400, which Chromium reports on its console.
    expect(problems.splice(before).every((problem) => problem.includes('400 (Bad Request)'))).toBe(true);
    const stillMe = await fetch(`${concord.url}/api/auth/me`, {
      headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(stillMe.status).toBe(200);

    await page.locator('input[name=confirm]').check();
    await page.locator('form[action="?/forget"] button[type=submit]').click();
    await page.waitForURL(`${concord.url}/privacy?forgotten`);
    await expect(textOf(page, '.success')).resolves.toBe(en.privacy_forgotten_done);
    await expect(page.locator('a.account-link').count()).resolves.toBe(0);
    expect((await context.cookies()).some((cookie) => cookie.name === 'concord_session')).toBe(false);
    await shot(page, 'forgotten-en');
    // Signed out everywhere, and the account cannot sign in again.
    await page.goto(`${concord.url}/account`);
    await page.waitForURL(/\/sign-in/);
    const again = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: forgetful.email, password }),
    });
    expect(again.status).toBe(401);
    await context.close();

    // Her colleague reads the organization's page and a proposal she took a stance on, in every language.
    const signedIn = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: colleague, password }),
    });
    const [name, value] = signedIn.headers.getSetCookie()[0]!.split(';')[0]!.split('=') as [string, string];
    const cookie = `${name}=${value}`;
    const get = async <T>(path: string) =>
      (await (await fetch(`${concord.url}${path}`, { headers: { cookie } })).json()) as T;
    const { members } = await get<{ members: { organizationId: string; name: string }[] }>('/api/members');
    const organizationId = members.find((member) => member.name === organization)!.organizationId;
    const { proposals } = await get<{ proposals: { proposalId: string }[] }>('/api/proposals?limit=100');
    let stancePage = '';
    for (const { proposalId } of proposals) {
      const detail = await get<{ stances: { personId: string }[] }>(`/api/proposals/${proposalId}`);
      if (detail.stances.some((stance) => stance.personId === personId)) {
        stancePage = `/proposals/${proposalId}`;
        break;
      }
    }
    expect(stancePage).not.toBe('');
    const cookies = [{ name, value, url: concord.url }];
    // Her representation ends in a step after the forgetting, and on a loaded machine the read models can
    // answer after the command's wait for them: the pages below are read once the API no longer lists her.
    await expect
      .poll(
        async () =>
          (
            await get<{ representatives: { personId: string }[] }>(`/api/members/${organizationId}`)
          ).representatives.some((representative) => representative.personId === personId),
        { timeout: 30_000 },
      )
      .toBe(false);

    for (const locale of locales) {
      const t = messages(locale);
      const former = fill(t.former_representative as string, { member: organization });
      const { context: localized, page: view } = await phone(locale, false, `colleague ${locale}`);
      await localized.addCookies(cookies);
      // Her organization's page in every language; the proposal in a left-to-right and a right-to-left one.
      const paths = [
        ...(locale === 'en' || locale === 'ar' ? [stancePage] : []),
        `/members/${organizationId}`,
      ];
      for (const path of paths) {
        await view.goto(`${concord.url}${path}`);
        const text = ((await view.locator('main').textContent()) ?? '').replace(/[\u2066-\u2069]/g, '');
        // Her stance names a former representative; the organization no longer lists her at all (the
        // step after the forgetting ended her representation).
        if (path === stancePage) expect(text, `${path} (${locale})`).toContain(former);
        expect(text, `${path} (${locale})`).not.toContain(forgetful.name);
        await expectPhoneWidth(view, `${path} (${locale})`);
      }
      await expect(view.locator(`li[data-live="representative:${personId}"]`).count()).resolves.toBe(0);
      if (locale === 'en' || locale === 'ar') await shot(view, `member-forgotten-${locale}`);
      if (locale === 'ar') {
        // His own account page, with the form he would use, reads right to left on a phone too.
        await view.goto(`${concord.url}/account`);
        await expect(view.locator('form[action="?/forget"] input[name=confirm]').count()).resolves.toBe(1);
        await expectPhoneWidth(view, '/account (ar)');
        await shot(view, 'account-ar');
      }
      await localized.close();
    }
    expect(problems).toEqual([]);
  }, 180_000);

  test('with JavaScript: the facilitator forgets a representative on the member page, another forgets themself', async () => {
    const en = messages('en');
    const demo = concord.demo!;
    const facilitator = demo.people.find((person) => person.role === 'facilitator')!;
    const [ahmad, thiri] = ['ahmad@rumahharapan.example', 'thiri@kvrya.example'].map(
      (email) => demo.people.find((person) => person.email === email)!,
    ) as [(typeof demo.people)[number], (typeof demo.people)[number]];

    // The facilitator, for a person who asked and cannot do it themself.
    const { context, page } = await phone('en', true, 'facilitator');
    await signIn(page, facilitator.email);
    await page.goto(`${concord.url}/members`);
    await page
      .locator('a', { hasText: ahmad.organization as string })
      .first()
      .click();
    await page.waitForURL(/\/members\/[^/]+$/);
    const rep = page.locator('ul.representatives > li', { hasText: ahmad.name });
    await rep.locator('details:has(form[action="?/forget"]) > summary').click();
    await rep.locator('input[name=confirm]').check();
    await rep.locator('form[action="?/forget"] button[type=submit]').click();
    await expect(textOf(page, '.success[role=status]')).resolves.toContain(
      fill(en.former_representative as string, { member: ahmad.organization as string }),
    );
    // The notice can show before the page's data is reloaded: when the live feed's refresh (for the same
    // events) starts after the form's, SvelteKit applies the form's result and the newer load lands just
    // after. Wait for his entry to go, then read the page.
    await rep.waitFor({ state: 'detached', timeout: 20_000 });
    // He was the organization's only representative: it is now unrepresented (the coalition can appoint
    // someone by a membership decision), and his name is nowhere on its page.
    expect((await page.locator('main').textContent()) ?? '').not.toContain(ahmad.name);
    // The end of his representation follows the forgetting as a step of its own: on a loaded machine the
    // read models can answer after the command's wait for them, and the page shows it with the live update.
    await expect.poll(() => page.locator('ul.representatives > li').count(), { timeout: 30_000 }).toBe(0);
    await expectPhoneWidth(page, 'member page after forgetting (en)');
    await context.close();

    // A representative, from their account page: the enhanced form ends on the privacy page, signed out.
    const own = await phone('en', true, 'thiri');
    await signIn(own.page, thiri.email);
    await own.page.goto(`${concord.url}/account`);
    await expectNoAxeViolations(own.page, '/account (en)');
    await own.page.locator('input[name=confirm]').check();
    await own.page.locator('form[action="?/forget"] button[type=submit]').click();
    await own.page.waitForURL(`${concord.url}/privacy?forgotten`);
    await expect(textOf(own.page, '.success')).resolves.toBe(en.privacy_forgotten_done);
    await expect(own.page.locator('a.account-link').count()).resolves.toBe(0);
    await own.context.close();
    expect(problems).toEqual([]);
  }, 120_000);

  test('a person their organization has not confirmed yet is told which organization must, and who can forget them', async () => {
    const demo = concord.demo!;
    const facilitator = demo.people.find((person) => person.role === 'facilitator')!;
    const member = 'Frontera Viva';
    const json = { 'content-type': 'application/json' };
    const signedIn = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: facilitator.email, password }),
    });
    const cookie = signedIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const { members } = (await (
      await fetch(`${concord.url}/api/members`, { headers: { cookie } })
    ).json()) as {
      members: { organizationId: string; name: string }[];
    };
    const organizationId = members.find((candidate) => candidate.name === member)!.organizationId;
    // Invited by the facilitator: the organization decides, so after accepting she has no role yet.
    const invited = await fetch(`${concord.url}/api/members/${organizationId}/invitations`, {
      method: 'POST',
      headers: { ...json, cookie },
      body: JSON.stringify({ email: 'nadia@fronteraviva.example', name: 'Nadia Karim' }),
    });
    expect(invited.status, await invited.clone().text()).toBe(201);
    const token = new URL(await concord.lastLink('nadia@fronteraviva.example')).searchParams.get('token');
    const accepted = await fetch(`${concord.url}/api/invitations/accept`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ token, password }),
    });
    expect(accepted.status).toBe(200);
    const [name, value] = accepted.headers.getSetCookie()[0]!.split(';')[0]!.split('=') as [string, string];

    for (const locale of ['es', 'ar'] as const) {
      const t = messages(locale);
      const awaiting = fill(t.account_awaiting as string, { member });
      const { context, page } = await phone(locale, false, `pending ${locale}`);
      await context.addCookies([{ name, value, url: concord.url }]);
      for (const path of ['/', '/account']) {
        await page.goto(`${concord.url}${path}`);
        await expect(textOf(page, 'main')).resolves.toContain(awaiting);
        await expectPhoneWidth(page, `${path} without a role (${locale})`);
      }
      // The API forgets only people acting in a role: she is told whom to ask rather than shown a form.
      await expect(page.locator('form[action="?/forget"]').count()).resolves.toBe(0);
      await expect(textOf(page, 'main')).resolves.toContain(t.forget_ask_others);
      if (locale === 'ar') await shot(page, 'account-pending-ar');
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
