// The founding walk in the portal, as people do it, shared by the English and the Arabic browser tests:
// a facilitator founds a coalition of three organizations, each named with its first representative;
// this server sends no mail, so the page hands the facilitator the links; each representative accepts
// theirs; one drafts the opening budget from the founding checklist; the three consent; one decides it
// before the feedback window ends (everyone has spoken, nobody blocks) and it is executed.
// No sleeps: every step waits for what a person would see (without JavaScript, for the page they reload).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect } from 'vitest';
import { axeViolations } from './axe.ts';
import { launchChromium } from './chromium.ts';
import { type RunningConcord, startConcord } from './concord.ts';
import { closeAfterAll, PHONE, screenshotsOnFailure, watchedPage } from './pages.ts';

export const password = 'correct horse battery staple';

export type Locale = 'en' | 'es' | 'fr' | 'ar';

/** The portal's own words, to find things on the page in the language it is shown in. */
export function messages(locale: Locale): Record<string, string> {
  const file = join(import.meta.dirname, '..', '..', 'messages', `${locale}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
}

/** A message's text around its placeholders (and the isolates put around people's words). */
export function fragments(text: string): string[] {
  return text
    .split(/\{\w+\}/)
    .map((part) => part.trim())
    .filter((part) => part.length > 3);
}

/** A message's text with its placeholders filled in. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

/** Visible text: no Unicode isolates, spaces (also no-break ones) collapsed. */
export function plain(text: string): string {
  return text
    .replace(/[\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Page text without the Unicode isolates the portal wraps people's words in. */
export async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/[\u2066-\u2069]/g, '');
}

export interface Person {
  name: string;
  email: string;
  organization: string;
}

export interface WalkOptions {
  concord: RunningConcord;
  browser: Browser;
  locale: Locale;
  /** The browser's language tag (Accept-Language). */
  browserLocale: string;
  javaScript: boolean;
  coalition: string;
  representatives: [Person, Person, Person];
  facilitator: { name: string; email: string };
  /** Collects page errors and console errors of every browser opened. */
  problems: string[];
  contexts: BrowserContext[];
}

/**
 * A Concord that sends no mail and a browser for one walk file, started before its tests and stopped after
 * them (screenshots of every page when a test fails, under `/tmp/concord-<name>-…`). The walk's options
 * are filled in once `beforeAll` has run.
 */
export function walkFixture(
  name: string,
  settings: Omit<WalkOptions, 'concord' | 'browser' | 'problems' | 'contexts'>,
): WalkOptions {
  const options = { ...settings, problems: [], contexts: [] } as unknown as WalkOptions;
  beforeAll(async () => {
    options.concord = await startConcord({ mailDelivers: false });
    options.browser = await launchChromium();
  });
  screenshotsOnFailure(name, options.contexts);
  closeAfterAll(() => options);
  return options;
}

export interface Walked {
  facilitator: Page;
  pages: Page[];
  contexts: BrowserContext[];
  proposalId: string;
}

/** A phone-sized browser (360 px wide) in the walk's language, with or without JavaScript. */
export function openBrowser(options: WalkOptions, who: string) {
  return watchedPage(options, who, {
    locale: options.browserLocale,
    javaScriptEnabled: options.javaScript,
    viewport: PHONE,
  });
}

/** Nothing wider than a 360 px phone: no horizontal scrolling. */
export async function expectNoHorizontalScroll(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

/** With CONCORD_SHOTS=<directory>, a full-page screenshot of a step, for people to review the pages. */
export async function shot(page: Page, name: string) {
  const directory = process.env.CONCORD_SHOTS;
  if (directory) await page.screenshot({ path: join(directory, `${name}.png`), fullPage: true });
}

export async function expectNoAxeViolations(page: Page, what: string) {
  const violations = await axeViolations(page);
  expect(violations, `${what}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}

/**
 * Runs axe on what `page` shows. axe is a script: in a walk without JavaScript it runs in a twin browser
 * with the same session, on the same address (a form's answer, `…?/action`, is read again by GET).
 */
async function axeCheck(options: WalkOptions, page: Page, what: string) {
  if (options.javaScript) return expectNoAxeViolations(page, what);
  const { page: twin, context } = await openBrowser({ ...options, javaScript: true }, 'axe');
  await context.addCookies(await page.context().cookies());
  await twin.goto(page.url().replace(/\?\/\w+(#[\w-]*)?$/, ''));
  await expectNoAxeViolations(twin, what);
  await context.close();
}

/** Clicks a submit button and waits for the answer: a page load without JavaScript, the form's with it. */
export async function submit(page: Page, button: ReturnType<Page['locator']>, javaScript: boolean) {
  if (javaScript) {
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      button.click(),
    ]);
  } else {
    await Promise.all([page.waitForEvent('load'), button.click()]);
  }
}

/** Reloads (without JavaScript nothing updates by itself) until `check` holds. */
export async function untilShown(page: Page, javaScript: boolean, check: () => Promise<boolean>) {
  await expect
    .poll(
      async () => {
        if (await check()) return true;
        // A page answering a form post (`…?/action`) is reloaded by its address, never posted again.
        if (!javaScript) await page.goto(page.url().replace(/\?\/\w+(#[\w-]*)?$/, ''));
        return check();
      },
      { timeout: 60_000 },
    )
    .toBe(true);
}

export async function walkTheFounding(options: WalkOptions): Promise<Walked> {
  const { concord, locale, javaScript } = options;
  const t = messages(locale);
  const url = concord.url;

  // ---- The first facilitator sets Concord up and lands on the founding walk, not an empty dashboard.
  // (Its browser lets axe in: axe is injected as a script, which the CSP rightly refuses elsewhere.)
  const { page: facilitator } = await openBrowser(options, 'facilitator');
  const setup = new URL((await concord.setupLink()) as string);
  await facilitator.goto(`${url}${setup.pathname}${setup.search}`);
  await facilitator.locator('#name').fill(options.facilitator.name);
  await facilitator.locator('#email').fill(options.facilitator.email);
  await facilitator.locator('#password').fill(password);
  await facilitator.locator('#confirm').fill(password);
  await facilitator.locator('form.stacked button[type=submit]').click();
  await facilitator.waitForURL(`${url}/founding`);
  await expect(textOf(facilitator, 'h1')).resolves.toBe(t.founding_title);
  // The dashboard sends a facilitator here too until the coalition is founded.
  await facilitator.goto(`${url}/`);
  await facilitator.waitForURL(`${url}/founding`);
  await expectNoHorizontalScroll(facilitator, '/founding, step 1');
  await axeCheck(options, facilitator, `/founding, step 1 (${locale})`);
  await shot(facilitator, `${locale}-1-founding-form`);

  // ---- Step 1: the coalition and its three organizations with their first representatives. Rows are
  // added and removed by posting the form (no script needed): three at first, two more, one removed.
  await facilitator.locator('#found-name').fill(options.coalition);
  const fillRow = async (row: number, person: Person) => {
    await facilitator.locator(`#org-${row}-name`).fill(person.organization);
    await facilitator.locator(`#org-${row}-rep-name`).fill(person.name);
    await facilitator.locator(`#org-${row}-rep-email`).fill(person.email);
  };
  await fillRow(0, options.representatives[0]);
  await fillRow(1, options.representatives[1]);
  await submit(facilitator, facilitator.locator('button[name=more]'), javaScript);
  await expect.poll(() => facilitator.locator('fieldset.org-row').count()).toBe(5);
  // What was typed survives the round trip.
  await expect(facilitator.locator('#org-1-rep-email').inputValue()).resolves.toBe(
    options.representatives[1].email,
  );
  await fillRow(3, options.representatives[2]);
  await submit(
    facilitator,
    facilitator.locator('fieldset.org-row[data-row="2"] button[name=remove]'),
    javaScript,
  );
  await expect.poll(() => facilitator.locator('fieldset.org-row').count()).toBe(4);
  // The third organization moved up into the removed row's place.
  await expect
    .poll(() => facilitator.locator('#org-2-name').inputValue())
    .toBe(options.representatives[2].organization);
  await expectNoHorizontalScroll(facilitator, '/founding, four rows');
  await shot(facilitator, `${locale}-2-founding-four-rows`);
  await submit(
    facilitator,
    facilitator.locator('form[action="?/found"] > button[type=submit]').last(),
    javaScript,
  );

  // ---- Step 2: mail is off, so the page hands over one link per first representative, honestly.
  const handovers = facilitator.locator('.handover');
  await handovers.first().waitFor();
  await expect(handovers.count()).resolves.toBe(3);
  const links: string[] = [];
  for (const person of options.representatives) {
    const handover = facilitator.locator(`.handover[data-invitation="${person.email}"]`);
    const text = (await handover.locator('p').first().textContent())?.replace(/[\u2066-\u2069]/g, '') ?? '';
    expect(text).toContain(person.name);
    for (const part of fragments(t.handover_mail_off as string)) expect(text).toContain(part);
    const link = await handover.locator('input.handover-link').inputValue();
    expect(link).toMatch(/\/invitations\/accept\?token=/);
    links.push(link);
  }
  await expect(facilitator.locator('body').textContent()).resolves.not.toContain(
    fragments(t.invitation_sent as string)[0],
  );
  await expectNoHorizontalScroll(facilitator, '/founding, links');
  await axeCheck(options, facilitator, `/founding, links (${locale})`);
  await shot(facilitator, `${locale}-3-founding-links`);

  // ---- A lost link is replaced from the same page: the same address again gives a new one.
  const lost = options.representatives[0];
  await facilitator.locator('summary', { hasText: lost.name }).click();
  await facilitator.locator('details[open] form[action="?/relink"] input[name=email]').fill(lost.email);
  await submit(
    facilitator,
    facilitator.locator('details[open] form[action="?/relink"] button[type=submit]'),
    javaScript,
  );
  const renewed = facilitator.locator(`.handover[data-invitation="${lost.email}"] input.handover-link`);
  await expect.poll(() => renewed.inputValue()).not.toBe(links[0]);
  links[0] = await renewed.inputValue();

  // ---- Each first representative accepts their link (in their own browser) and represents at once.
  const pages: Page[] = [];
  const contexts: BrowserContext[] = [];
  for (const [index, person] of options.representatives.entries()) {
    const { page, context } = await openBrowser(options, person.name);
    await page.goto(links[index] as string);
    await page.locator('#password').fill(password);
    await page.locator('#confirm').fill(password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${url}/`);
    await expect(textOf(page, '.account')).resolves.toContain(person.organization);
    pages.push(page);
    contexts.push(context);
  }
  const [first, second, third] = pages as [Page, Page, Page];

  // The facilitator's walk shows who has accepted (live with JavaScript, on reload without).
  await untilShown(facilitator, javaScript, async () =>
    /^3\D+3\D/.test(await textOf(facilitator, '[data-live="founding-represented"]')),
  );

  // ---- Step 3: from the dashboard's founding panel to the checklist, to the prefilled opening budget.
  await first.locator('a[href="/founding#checklist-title"]').click();
  await first.waitForURL(`${url}/founding#checklist-title`);
  await first.locator('a[href="/proposals/new/budget-change?opening=1&founding=1"]').click();
  await first.waitForURL(/\/proposals\/new\/budget-change\?opening=1&founding=1$/);
  await expect(first.locator('#proposal-title').inputValue()).resolves.toBe(t.founding_budget_title);
  await first.locator('#opening-name').fill('2026');
  await first.locator('#opening-currency').fill('USD');
  await first.locator('#opening-start').fill('2026-01-01');
  await first.locator('#opening-end').fill('2026-12-31');
  await first.locator('#new-0-name').fill('Translation');
  await first.locator('#new-0-category').selectOption('translation');
  await first.locator('#new-0-amount').fill('10000');
  await first.locator('#new-1-name').fill('Travel');
  await first.locator('#new-1-category').selectOption('travel');
  await first.locator('#new-1-amount').fill('5000');
  await expectNoHorizontalScroll(first, 'the opening budget form');
  await first.locator('form.stacked > button[type=submit]').last().click();
  await first.waitForURL(/\/proposals\/[0-9a-f-]{36}$/);
  const proposalId = first.url().split('/').at(-1) as string;
  await first.locator('.tag.status-open').waitFor();

  // ---- Every founding organization consents; the window is seven days, yet everyone has spoken.
  for (const page of [first, second, third]) {
    if (page !== first) await page.goto(`${url}/proposals/${proposalId}`);
    await page.locator('input[name=stance][value=consent]').check();
    await submit(page, page.locator('form[action^="?/stance"] button[type=submit]'), javaScript);
    await page.locator('form[action^="?/stance"] .success').waitFor();
  }
  // The outcome now: adopted because everyone has spoken; "decide now" is offered before the window ends.
  // The last stance's answer can come before the read models have it on a loaded machine (the command's
  // wait for them is bounded): the page shows it live with JavaScript, on opening it again without.
  await third.goto(`${url}/proposals/${proposalId}`);
  await untilShown(third, javaScript, async () =>
    (await textOf(third, '.outcome')).includes(t.outcome_adopted_everyone_spoke as string),
  );
  await expect(textOf(third, '.outcome')).resolves.toContain(t.outcome_adopted_everyone_spoke);
  await expect(third.locator('.tag.status-open').count()).resolves.toBe(1);
  // The opening's amounts read as money in the currency it opens with, never as raw minor units.
  await expect(textOf(third, '.payload')).resolves.not.toContain('1000000');
  await shot(third, `${locale}-4-everyone-has-spoken`);
  await submit(third, third.locator('form[action^="?/decide"] button[type=submit]'), javaScript);
  await untilShown(
    third,
    javaScript,
    async () => (await third.locator('.tag.status-executed').count()) === 1,
  );
  await expect(textOf(third, '.tag.status-executed')).resolves.toBe(t.status_executed);

  // ---- The checklist follows: the opening budget is done; the budget page shows its lines.
  await facilitator.goto(`${url}/founding`);
  const budgetItem = facilitator.locator('[data-live="founding-budget"]');
  await expect(budgetItem.locator('.tag.status-executed').count()).resolves.toBe(1);
  await expect(budgetItem.locator(`a[href="/proposals/${proposalId}"]`).count()).resolves.toBe(1);
  await shot(facilitator, `${locale}-5-founding-checklist`);
  await second.goto(`${url}/budget`);
  await expect(textOf(second, 'table.lines')).resolves.toContain('Translation');
  // Once the first budget is executed the dashboard no longer points at the founding.
  await second.goto(`${url}/`);
  await expect(second.locator('#founding-panel-title').count()).resolves.toBe(0);

  return { facilitator, pages, contexts, proposalId };
}
