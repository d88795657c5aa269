// Translations by members, in Chromium against a real Concord (the demo coalition): a member who reads the
// portal in Spanish adds a Spanish translation of an English proposal without JavaScript; another
// Spanish-speaking member then sees it first, marked as that member's translation, with the original one
// tap away. The page stays within a 360 px phone in Spanish and in Arabic, with no axe violations.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { axeViolations } from './helpers/axe.ts';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import { expectNoHorizontalScroll, shot } from './helpers/founding-walk.ts';
import { closeAfterAll, PHONE, screenshotsOnFailure, signInAt, watchedPage } from './helpers/pages.ts';

const spanishTitle = 'Título de la propuesta, traducido por un miembro';
const spanishText = 'Traducción al español del texto de la propuesta, hecha por un miembro.';

describe.skipIf(chromiumUnavailable())('translations by members', () => {
  let browser: Browser;
  let concord: RunningConcord;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  let password = '';
  let translator = { name: '', email: '', organization: '' };
  let reader = { email: '' };
  let proposal = { proposalId: '', title: '', body: '' };

  beforeAll(async () => {
    [concord, browser] = await Promise.all([startConcord({ demo: true }), launchChromium()]);
    const demo = concord.demo!;
    password = demo.password;
    const representatives = demo.people.filter((person) => person.role === 'representative');
    const first = representatives[0]!;
    translator = { name: first.name, email: first.email, organization: first.organization! };
    reader = representatives.find((person) => person.organization !== first.organization)!;

    // An open proposal of the demo, written in English, that nobody has translated.
    const signIn = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: first.email, password }),
    });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const get = async <T>(path: string) =>
      (await (await fetch(`${concord.url}${path}`, { headers: { cookie } })).json()) as T;
    const { proposals } = await get<{ proposals: { proposalId: string; status: string }[] }>(
      '/api/proposals',
    );
    const { proposalId } = proposals.find((candidate) => candidate.status === 'open')!;
    const detail = await get<{ title: string; body: string; translations: unknown[] }>(
      `/api/proposals/${proposalId}`,
    );
    expect(detail.translations).toEqual([]);
    proposal = { proposalId, title: detail.title, body: detail.body };
  });

  screenshotsOnFailure('translations', contexts);
  closeAfterAll(() => ({ contexts, browser, concord }));

  /** A phone (360 × 740) in `locale`. */
  const phone = async (locale: string, javaScript: boolean) =>
    (
      await watchedPage({ browser, contexts, problems }, locale, {
        locale,
        javaScriptEnabled: javaScript,
        viewport: { width: PHONE.width, height: 740 },
      })
    ).page;

  /** What a reader sees of an element, without the white space around it. */
  const text = async (locator: Locator) => (await locator.textContent())?.trim();

  const signIn = (page: Page, email: string) => signInAt(page, concord.url, email, password);

  test('a member adds a Spanish translation; a Spanish-speaking member sees it first, the original one tap away', async () => {
    const url = `${concord.url}/proposals/${proposal.proposalId}`;

    // The translator reads the portal in Spanish, without JavaScript: the original is shown (in English),
    // and a small form adds a translation into Spanish.
    const translating = await phone('es-ES', false);
    await signIn(translating, translator.email);
    await translating.goto(url);
    expect(await text(translating.locator('h1'))).toBe(proposal.title);
    const form = translating.locator('details.translate').first();
    await form.locator('summary').click();
    await expect(form.locator('select[name=sourceLanguage]').inputValue()).resolves.toBe('en');
    await form.locator('input[name=title]').fill(spanishTitle);
    await form.locator('textarea[name=text]').fill(spanishText);
    await Promise.all([translating.waitForEvent('load'), form.locator('button[type=submit]').click()]);
    expect(await text(translating.locator('details.translate [role=status]').first())).toBe(
      'Tu traducción quedó registrada.',
    );

    // Another member, reading in Spanish: the translation first, marked as the translator's.
    const reading = await phone('es-ES', true);
    await signIn(reading, reader.email);
    await reading.goto(url);
    expect(await text(reading.locator('h1'))).toBe(spanishTitle);
    const shown = reading.locator('#text-title ~ .prose').first();
    expect(await text(shown)).toBe(spanishText);
    await expect(shown.getAttribute('lang')).resolves.toBe('es');
    const mark = reading.locator('#text-title ~ details.translation > summary');
    const marked = (await text(mark)) ?? '';
    expect(marked).toContain('Traducción de');
    expect(marked).toContain(translator.name);
    expect(marked).toContain(translator.organization);
    expect(marked).toContain('ver el original');
    // The original is one tap away.
    const original = reading.locator('#text-title ~ details.translation [lang=en]');
    await expect(original.isVisible()).resolves.toBe(false);
    await mark.click();
    await expect(original.isVisible()).resolves.toBe(true);
    expect(await text(original)).toContain(proposal.body.trim().split('\n')[0]!);
    expect(await text(original)).toContain(proposal.title);
    await expectNoHorizontalScroll(reading, 'the translated proposal (es, 360 px)');
    await shot(reading, 'translations-reader-es');

    // An English reader sees the original, and no translation into their language.
    const english = await phone('en-US', true);
    await signIn(english, reader.email);
    await english.goto(url);
    expect(await text(english.locator('h1'))).toBe(proposal.title);
    await expect(english.locator('details.translation').count()).resolves.toBe(0);

    expect(problems).toEqual([]);
  });

  test('the page fits a 360 px phone and passes axe in Spanish and Arabic, the forms open', async () => {
    for (const locale of ['es', 'ar']) {
      const page = await phone(locale, true);
      await signIn(page, reader.email);
      await page.goto(`${concord.url}/proposals/${proposal.proposalId}`);
      for (const summary of await page
        .locator('details.translation > summary, details.translate > summary')
        .all()) {
        await summary.click();
      }
      await expectNoHorizontalScroll(page, `the proposal with translations (${locale}, 360 px)`);
      await shot(page, `translations-${locale}`);
      const violations = await axeViolations(page);
      expect(violations, `${locale}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
    }
  });
});
