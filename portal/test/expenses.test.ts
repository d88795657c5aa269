// Expenses in the portal, in Debian's Chromium on 360 px phones against a real Concord (the demo
// coalition, whose Finance group approves expenses: one approval up to USD 1,000, two up to USD 5,000):
// a representative of Frontera Viva submits a USD 1,500 travel expense with a restricted receipt picture
// on the line's page; Nile Bridges
// (in Arabic) and Rumah Harapan, both in Finance, approve it from their approval queue; the auditor
// watching the line's page sees its spent figure change without a reload. Without JavaScript, in Arabic,
// a representative is told in words why an expense above the group's tiers needs a proposal, then submits
// one within them.
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { formatMoney } from '../src/lib/format.ts';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import {
  expectNoHorizontalScroll,
  fill,
  type Locale,
  messages,
  plain,
  shot,
} from './helpers/founding-walk.ts';
import { closeAfterAll, PHONE, signInAt } from './helpers/pages.ts';

/** A 1×1 picture (PNG), the receipt a phone's camera would give. */
const RECEIPT = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** The visible text of the first element `locator` finds, once there is one. */
const textOfFirst = async (locator: Locator) => plain((await locator.first().textContent()) ?? '');

interface Expense {
  expenseId: string;
  description: string;
  amount: number;
  status: string;
  reason: string | null;
  paymentReference: string | null;
  approvals: { organizationId: string }[];
  receipts: { sha256: string; mediaType: string; size: number; restricted: boolean }[];
}

describe.skipIf(chromiumUnavailable())('expenses in the portal', () => {
  let concord: RunningConcord;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];
  const budgetId = `budget-${new Date().getUTCFullYear()}`;

  beforeAll(async () => {
    concord = await startConcord({ demo: true });
    browser = await launchChromium();
  });
  closeAfterAll(() => ({ contexts, browser, concord }));

  /** The demo's representative of an organization (by its name's start), or its auditor. */
  const person = (organization: string | null) => {
    const found = concord.demo!.people.find((candidate) =>
      organization === null
        ? candidate.role === 'auditor'
        : candidate.role === 'representative' && candidate.organization?.startsWith(organization),
    );
    if (!found) throw new Error(`the demo has nobody for ${organization}`);
    // Kampala has two representatives; any of the others is the only one of their organization.
    return found.email;
  };

  /** A signed-in 360 px phone reading `locale`, with or without JavaScript. */
  async function phone(locale: Locale, email: string, javaScript: boolean): Promise<Page> {
    const context = await browser.newContext({
      locale,
      javaScriptEnabled: javaScript,
      viewport: PHONE,
    });
    contexts.push(context);
    await context.addCookies([{ name: 'concord_locale', value: locale, url: concord.url }]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => problems.push(`${email} pageerror: ${error.message}`));
    page.on('console', (message) => {
      // A refused form post answers its page with the refusal's status (422): expected, not a fault.
      const refusal = message.text().includes('responded with a status of 422');
      if (message.type() === 'error' && !refusal) problems.push(`${email} console: ${message.text()}`);
    });
    await signInAt(page, concord.url, email, concord.demo!.password);
    return page;
  }

  /** Reads the API as the auditor (who reads everything and changes nothing). */
  async function read<T>(path: string): Promise<T> {
    const signIn = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: person(null), password: concord.demo!.password }),
    });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    return (await (await fetch(`${concord.url}${path}`, { headers: { cookie } })).json()) as T;
  }
  const lineOf = async (lineId: string) =>
    (await read<{ lines: { lineId: string; spent: number }[] }>(`/api/budgets/${budgetId}`)).lines.find(
      (line) => line.lineId === lineId,
    )!;
  const expenseNamed = async (description: string) =>
    (await read<{ expenses: Expense[] }>(`/api/budgets/${budgetId}/expenses`)).expenses.find(
      (expense) => expense.description === description,
    );

  test('submitted on a phone, approved by two organizations from their queue, seen spent live by a third person', async () => {
    const en = messages('en');
    const ar = messages('ar');
    const linePath = `/budget/${budgetId}/lines/travel`;
    const description = 'Hotel rooms for the Bogotá convening, two nights';
    const spentBefore = (await lineOf('travel')).spent;

    // The auditor watches the line's page, live; a mark on the window would be lost by a page load.
    const watcher = await phone('en', person(null), true);
    await watcher.goto(`${concord.url}${linePath}`);
    await watcher.locator('.live-state[data-state="live"]').waitFor();
    await watcher.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    const totals = watcher.locator('dl.totals[data-live="line-totals:travel"]');
    expect(plain((await totals.textContent()) ?? '')).toContain(plain(formatMoney(spentBefore, 'USD', 'en')));

    // Frontera Viva (not in Finance) submits USD 1,500: two approvals needed.
    const submitter = await phone('en', person('Frontera Viva'), true);
    await submitter.goto(`${concord.url}${linePath}`);
    const form = submitter.locator('form[action="?/submitExpense"]');
    await expect(form.getAttribute('enctype')).resolves.toBe('multipart/form-data');
    // The receipt: a picture as a phone's camera gives it, marked as holding personal data.
    const receiptInput = form.locator('input[type=file][name=receipts]');
    await expect(receiptInput.getAttribute('accept')).resolves.toMatch(/^image\/\*,application\/pdf,/);
    await receiptInput.setInputFiles({ name: 'IMG_0412.png', mimeType: 'image/png', buffer: RECEIPT });
    await form.locator('input[type=checkbox][name=receiptsRestricted]').check();
    await form.locator('[name=description]').fill(description);
    await form.locator('[name=amount]').fill('1,500');
    await form.locator('[name=payeeName]').fill('Hotel Casa Andina');
    await form.locator('button[type=submit]').click();
    await expect(textOfFirst(form.locator('p.success'))).resolves.toBe(en.expense_submitted_notice);
    await expect
      .poll(() => expenseNamed(description), { timeout: 30_000 })
      .toMatchObject({ amount: 150_000, status: 'submitted', approvals: [] });
    const submitted = await expenseNamed(description);
    const receiptHash = createHash('sha256').update(RECEIPT).digest('hex');
    expect(submitted?.receipts).toEqual([
      { sha256: receiptHash, mediaType: 'image/png', size: RECEIPT.length, restricted: true },
    ]);
    const item = submitter.locator(`#expense-${submitted!.expenseId}`);
    // The list shows it at once, or with the live update when the read models answered late (a loaded
    // machine can take longer than the command's wait for them).
    const receiptLink = item.locator(`a[href="/attachments/${receiptHash}"]`);
    await receiptLink.waitFor({ timeout: 30_000 });
    await expect(receiptLink.count()).resolves.toBe(1);
    await expect(item.textContent().then((text) => plain(text ?? ''))).resolves.toContain(
      en.expense_status_submitted,
    );
    await expectNoHorizontalScroll(submitter, 'the line page after submitting (en)');
    await shot(submitter, 'expenses-submitted-en');

    // Nile Bridges, in Arabic: the dashboard and the budget page count what waits, the queue lists it,
    // it approves.
    const first = await phone('ar', person('Nile Bridges'), true);
    // Her dashboard says so first: this one and the demo's software licence, which Rumah Harapan approved.
    await expect(textOfFirst(first.locator('p.notice a[href="/expenses"]'))).resolves.toBe(
      fill(ar.expenses_waiting_link!, { count: '2' }),
    );
    await expectNoHorizontalScroll(first, 'the dashboard with expenses waiting (ar)');
    await shot(first, 'expenses-dashboard-ar');
    await first.goto(`${concord.url}/budget`);
    const queueLink = first.locator('.pending-expenses a[href="/expenses"]');
    await expect(queueLink.textContent().then((text) => plain(text ?? ''))).resolves.toContain(
      plain(fill(ar.expenses_waiting_link!, { count: '' })),
    );
    await queueLink.click();
    await first.waitForURL(`${concord.url}/expenses`);
    const waiting = first.locator(`#expense-${submitted!.expenseId}`);
    await expect(waiting.textContent().then((text) => plain(text ?? ''))).resolves.toContain(description);
    await expectNoHorizontalScroll(first, 'the approval queue (ar)');
    await shot(first, 'expenses-queue-ar');
    await waiting.locator('form[action="?/approveExpense"] button[type=submit]').click();
    await expect(textOfFirst(first.locator('main p.success'))).resolves.toBe(ar.expense_approved_notice);
    // It leaves her queue (at once, or with the live update when the read models answered late).
    await first.locator(`#expense-${submitted!.expenseId}`).waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await expenseNamed(description))?.approvals.length, { timeout: 30_000 })
      .toBe(1);
    // An approver opens the restricted receipt; the auditor watching, outside the organizations
    // concerned, cannot.
    const opened = await first.context().request.get(`${concord.url}/attachments/${receiptHash}`);
    expect(opened.status()).toBe(200);
    expect(opened.headers()['content-disposition']).toMatch(/^attachment/);
    expect(Buffer.compare(await opened.body(), RECEIPT)).toBe(0);
    const refused = await watcher.context().request.get(`${concord.url}/attachments/${receiptHash}`);
    expect(refused.status()).toBe(404);
    // One approval of two: nothing is spent yet.
    expect((await lineOf('travel')).spent).toBe(spentBefore);

    // Rumah Harapan gives the second approval: the amount is spent from the line.
    const second = await phone('en', person('Rumah Harapan'), true);
    await second.goto(`${concord.url}/expenses`);
    await second
      .locator(`#expense-${submitted!.expenseId} form[action="?/approveExpense"] button[type=submit]`)
      .click();
    await expect(textOfFirst(second.locator('main p.success'))).resolves.toBe(
      en.expense_approved_spent_notice,
    );
    const spentAfter = spentBefore + 150_000;
    await expect.poll(async () => (await lineOf('travel')).spent, { timeout: 30_000 }).toBe(spentAfter);

    // The watcher's figures changed by themselves, without a page load.
    await expect
      .poll(async () => plain((await totals.textContent()) ?? ''), { timeout: 30_000 })
      .toContain(plain(formatMoney(spentAfter, 'USD', 'en')));
    await expect(watcher.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).resolves.toBe(
      true,
    );
    await expect
      .poll(() => textOfFirst(watcher.locator(`#expense-${submitted!.expenseId}`)), { timeout: 30_000 })
      .toContain(en.expense_status_spent);
    await shot(watcher, 'expenses-line-live-en');

    // Nile Bridges, in Finance, records the payment on the line's page.
    await first.goto(`${concord.url}${linePath}`);
    const spentItem = first.locator(`#expense-${submitted!.expenseId}`);
    await spentItem.locator('details:has(form[action="?/markExpensePaid"]) > summary').click();
    await spentItem.locator('[name=reference]').fill('TR-0519');
    await spentItem.locator('form[action="?/markExpensePaid"] button[type=submit]').click();
    await expect(textOfFirst(spentItem.locator('p.success'))).resolves.toBe(ar.expense_paid_notice);
    await expect
      .poll(() => expenseNamed(description), { timeout: 30_000 })
      .toMatchObject({ status: 'paid', paymentReference: 'TR-0519' });
    // On this page at once, or with the live update when the read models answered late.
    await expect.poll(() => textOfFirst(spentItem), { timeout: 30_000 }).toContain('TR-0519');
    await expectNoHorizontalScroll(first, 'the line page with a paid expense (ar)');
    expect(problems).toEqual([]);
  });

  test('without JavaScript, in Arabic: a refusal in words, then a submitted expense', async () => {
    const ar = messages('ar');
    const page = await phone('ar', person('Klang Valley'), false);
    const linePath = `/budget/${budgetId}/lines/translation`;
    await page.goto(`${concord.url}${linePath}`);
    const form = page.locator('form[action="?/submitExpense"]');

    // USD 9,000 is above Advocacy's last tier (USD 5,000): the page says it needs a proposal, and why.
    await form.locator('[name=description]').fill('ترجمة فورية لاجتماع المناصرة الإقليمي');
    await form.locator('[name=amount]').fill('9000');
    await form.locator('[name=payeeName]').fill('Beirut Interpreters Cooperative');
    await Promise.all([page.waitForEvent('load'), form.locator('button[type=submit]').click()]);
    const alert = page.locator('form[action="?/submitExpense"] [role=alert]');
    await expect(alert.textContent().then((text) => plain(text ?? ''))).resolves.toBe(
      ar.expense_needs_above_bound,
    );
    // What was typed comes back in the fields.
    await expect(page.locator('form[action="?/submitExpense"] [name=amount]').inputValue()).resolves.toBe(
      '9000',
    );
    expect(await expenseNamed('ترجمة فورية لاجتماع المناصرة الإقليمي')).toBeUndefined();
    await expectNoHorizontalScroll(page, 'the refused expense (ar, no JavaScript)');
    await shot(page, 'expenses-refused-ar-nojs');

    // Within the first tier it is submitted, and listed as waiting.
    await page.locator('form[action="?/submitExpense"] [name=amount]').fill('450');
    await Promise.all([
      page.waitForEvent('load'),
      page.locator('form[action="?/submitExpense"] button[type=submit]').click(),
    ]);
    await expect(
      page
        .locator('form[action="?/submitExpense"] [role=status]')
        .textContent()
        .then((text) => plain(text ?? '')),
    ).resolves.toBe(ar.expense_submitted_notice);
    await expect
      .poll(() => expenseNamed('ترجمة فورية لاجتماع المناصرة الإقليمي'), { timeout: 30_000 })
      .toMatchObject({ amount: 45_000, status: 'submitted' });
    const submitted = await expenseNamed('ترجمة فورية لاجتماع المناصرة الإقليمي');
    // Without JavaScript nothing updates by itself: the page is opened again, as a person would when
    // the read models answered later than the command's wait for them on a loaded machine.
    await page.goto(`${concord.url}${linePath}`);
    await expect(
      page
        .locator(`#expense-${submitted!.expenseId}`)
        .textContent()
        .then((text) => plain(text ?? '')),
    ).resolves.toContain(ar.expense_status_submitted);
    await expectNoHorizontalScroll(page, 'the submitted expense (ar, no JavaScript)');

    // Its organization withdraws it, saying why; the reason is shown with it.
    const item = page.locator(`#expense-${submitted!.expenseId}`);
    await item.locator('details:has(form[action="?/withdrawExpense"]) > summary').click();
    await item.locator('[name=reason]').fill('سندفعها من منحة أخرى');
    await Promise.all([
      page.waitForEvent('load'),
      item.locator('form[action="?/withdrawExpense"] button[type=submit]').click(),
    ]);
    await expect(textOfFirst(page.locator('main p.success'))).resolves.toBe(ar.expense_withdrawn_notice);
    await expect
      .poll(() => expenseNamed('ترجمة فورية لاجتماع المناصرة الإقليمي'), { timeout: 30_000 })
      .toMatchObject({ status: 'withdrawn', reason: 'سندفعها من منحة أخرى' });
    await page.goto(`${concord.url}${linePath}`);
    const withdrawn = await textOfFirst(page.locator(`#expense-${submitted!.expenseId}`));
    expect(withdrawn).toContain(ar.expense_status_withdrawn);
    expect(withdrawn).toContain('سندفعها من منحة أخرى');

    // A line without a policy explains, in words, that an expense there is a proposal.
    await page.goto(`${concord.url}/budget/${budgetId}/lines/grants`);
    await expect(page.locator('form[action="?/submitExpense"]').count()).resolves.toBe(0);
    const explained = plain(
      (await page.locator('section[aria-labelledby=expenses-title]').textContent()) ?? '',
    );
    for (const part of ar.expense_needs_no_policy!.split('{group}').map((piece) => piece.trim())) {
      expect(explained).toContain(part);
    }
    await expectNoHorizontalScroll(page, 'a line without an expense policy (ar, no JavaScript)');
    expect(problems).toEqual([]);
  });
});
