// The whole journey against the real single process (the API's server with the portal mounted, PGlite in
// a temporary directory), with several browsers at once: a facilitator sets Concord up, founds the
// coalition naming two first representatives (their links go by mail) and invites an auditor; one representative proposes a budget change;
// the other sees it appear without reloading; both consent; the decision is taken when the (urgent, zero-
// hour) feedback window has passed and the budget page of a third browser updates live; the auditor finds
// the events, travels back in time to the old figure and downloads the exports.
// No sleeps: every step waits for what a person would see.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import { closeAfterAll, screenshotsOnFailure, watchedPage } from './helpers/pages.ts';

const password = 'correct horse battery staple';
const people = {
  facilitator: { name: 'Amina Yusuf', email: 'amina@secretariat.example' },
  rana: { name: 'Rana Saleh', email: 'rana@cedar.example', organization: 'Cedar Collective' },
  omar: { name: 'Omar Haddad', email: 'omar@nile.example', organization: 'Nile Bridges' },
  auditor: { name: 'Lucía Méndez', email: 'lucia@audit.example' },
};

describe.skipIf(chromiumUnavailable())('journey: propose, see it live, consent, adopt, audit', () => {
  let concord: RunningConcord;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    concord = await startConcord();
    browser = await launchChromium();
  });

  /** On failure, what every browser showed (kept under /tmp for a look). */
  screenshotsOnFailure('journey', contexts);
  closeAfterAll(() => ({ contexts, browser, concord }));

  const open = (who: string, locale = 'en-US') =>
    watchedPage({ browser, contexts, problems }, who, { locale, acceptDownloads: true });

  /** Follows the one-time link mailed to `email` and chooses a password: signed in on the dashboard. */
  async function accept(page: Page, email: string) {
    await page.goto(await concord.lastLink(email));
    await page.locator('#password').fill(password);
    await page.locator('#confirm').fill(password);
    await page.locator('form.stacked button[type=submit]').click();
    await page.waitForURL(`${concord.url}/`);
  }

  async function cookieOf(context: BrowserContext) {
    const session = (await context.cookies()).find((cookie) => cookie.name === 'concord_session');
    return `concord_session=${session?.value}`;
  }

  test('from an empty install to an adopted budget change, seen live by everyone', async () => {
    // ---- The first facilitator, with the link an empty install prints.
    const facilitator = await open('facilitator');
    const setupLink = await concord.setupLink();
    expect(setupLink).toBeTruthy();
    const setup = new URL(setupLink as string);
    await facilitator.page.goto(`${concord.url}${setup.pathname}${setup.search}`);
    await facilitator.page.locator('#name').fill(people.facilitator.name);
    await facilitator.page.locator('#email').fill(people.facilitator.email);
    await facilitator.page.locator('#password').fill(password);
    await facilitator.page.locator('#confirm').fill(password);
    await facilitator.page.locator('form.stacked button[type=submit]').click();
    await facilitator.page.waitForURL(`${concord.url}/founding`);

    // ---- The founding: three member organizations, two of them named with their first representative
    // (the third names one who never shows up), a 7-day window and a zero-hour urgent path. This server
    // mails the links, and the page says so.
    await facilitator.page.locator('#found-name').fill('Test coalition');
    const rows = [
      [people.rana.organization, people.rana.name, people.rana.email],
      [people.omar.organization, people.omar.name, people.omar.email],
      ['Frontera Viva', 'Camila Rojas', 'camila@frontera.example'],
    ];
    for (const [row, [organization, name, email]] of rows.entries()) {
      await facilitator.page.locator(`#org-${row}-name`).fill(organization as string);
      await facilitator.page.locator(`#org-${row}-rep-name`).fill(name as string);
      await facilitator.page.locator(`#org-${row}-rep-email`).fill(email as string);
    }
    await facilitator.page.locator('#found-values').fill('One organization, one voice');
    await facilitator.page.locator('details.more-actions summary').click();
    await facilitator.page.locator('#found-feedback').fill('168');
    await facilitator.page.locator('#found-urgent').fill('0');
    await facilitator.page.locator('form[action="?/found"] > button[type=submit]').last().click();
    for (const person of [people.rana, people.omar]) {
      await facilitator.page.locator('p.success[data-invitation]', { hasText: person.email }).waitFor();
    }
    await expect(facilitator.page.locator('.handover').count()).resolves.toBe(0);

    // ---- An auditor is invited too (a one-time link by mail).
    await facilitator.page.goto(`${concord.url}/members`);
    await facilitator.page.locator('#staff-role').selectOption('auditor');
    await facilitator.page.locator('#staff-name').fill(people.auditor.name);
    await facilitator.page.locator('#staff-email').fill(people.auditor.email);
    await facilitator.page.locator('form[action="?/inviteStaff"] button[type=submit]').click();
    await facilitator.page.locator('.success', { hasText: people.auditor.email }).waitFor();

    const rana = await open('rana');
    const omar = await open('omar');
    const auditor = await open('auditor');
    await accept(rana.page, people.rana.email);
    await accept(omar.page, people.omar.email);
    await accept(auditor.page, people.auditor.email);
    await expect(rana.page.locator('.account').textContent()).resolves.toContain(people.rana.organization);

    // ---- The opening budget is a decision too: seeded here through the API with the two sessions.
    const api = async (context: BrowserContext, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${concord.url}${path}`, {
        method,
        headers: { cookie: await cookieOf(context), 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : null;
    };
    const opening = await api(rana.context, 'POST', '/api/proposals', {
      title: 'Open the 2026 budget',
      body: 'Translation and travel for the first year.',
      payload: {
        kind: 'budgetChange',
        budgetId: 'budget-2026',
        opening: {
          name: 'Budget 2026',
          fiscalPeriod: { start: '2026-01-01', end: '2026-12-31' },
          currency: 'USD',
        },
        changes: [
          {
            op: 'createLine',
            lineId: 'translation',
            name: 'Translation',
            category: 'translation',
            stewardGroupId: null,
            partnerOrganizationIds: [],
            allocated: 1_000_000,
          },
          {
            op: 'createLine',
            lineId: 'travel',
            name: 'Travel',
            category: 'travel',
            stewardGroupId: null,
            partnerOrganizationIds: [],
            allocated: 500_000,
          },
        ],
      },
    });
    const openingId = opening.created.proposalId as string;
    await api(rana.context, 'POST', `/api/proposals/${openingId}/opening`, {
      urgentReason: 'The year has started',
    });
    await api(rana.context, 'POST', `/api/proposals/${openingId}/stances`, { stance: 'consent' });
    await api(omar.context, 'POST', `/api/proposals/${openingId}/stances`, { stance: 'consent' });
    await api(omar.context, 'POST', `/api/proposals/${openingId}/decision`, {});

    // ---- The auditor watches the budget page (a third browser); it shows the opening figures.
    await auditor.page.goto(`${concord.url}/budget`);
    const translationRow = auditor.page.locator('tr[data-live="line:translation"]');
    await expect.poll(() => translationRow.textContent()).toContain('$10,000.00');
    await auditor.page.locator('.live-state[data-state="live"]').waitFor();

    // ---- Omar reads the proposals; a marker on window proves the page is never reloaded.
    await omar.page.goto(`${concord.url}/proposals`);
    await omar.page.locator('.live-state[data-state="live"]').waitFor();
    await omar.page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 7;
    });

    // ---- Rana proposes a budget change; before submitting, the page says who will decide and why.
    await rana.page.goto(`${concord.url}/proposals/new/budget-change`);
    await rana.page.locator('#delta-translation').fill('2,500');
    await rana.page.locator('.routing-preview', { hasText: 'The full coalition' }).waitFor();
    await expect(rana.page.locator('.routing-preview').textContent()).resolves.toContain(
      'stewarded by the full coalition',
    );
    await rana.page.locator('#proposal-title').fill('More interpretation for the Arabic-speaking members');
    await rana.page.locator('#proposal-body').fill('Interpretation at every working-group meeting.');
    await rana.page.locator('input[name=urgent]').check();
    await rana.page.locator('#proposal-urgent-reason').fill('The regional forum is next week.');
    await expect(rana.page.locator('input[name=autoDecide]').isChecked()).resolves.toBe(true);
    await rana.page.locator('form.stacked > button[type=submit]').last().click();
    await rana.page.waitForURL(/\/proposals\/[0-9a-f-]{36}$/);
    const proposalId = rana.page.url().split('/').at(-1) as string;
    await rana.page.locator('.tag', { hasText: 'Open for feedback' }).waitFor();

    // ---- Omar sees it appear, marked as just changed, without reloading.
    const card = omar.page.locator(`li[data-live="proposal:${proposalId}"]`);
    await card.waitFor();
    await expect(card.getAttribute('data-just-changed')).resolves.toBe('Just changed');
    await expect(omar.page.evaluate(() => (window as unknown as { marker?: number }).marker)).resolves.toBe(
      7,
    );

    // ---- Both consent (Omar from the page he is on, Rana on the proposal).
    await card.locator('a').click();
    await omar.page.waitForURL(`${concord.url}/proposals/${proposalId}`);
    await omar.page.locator('input[name=stance][value=consent]').check();
    await omar.page.locator('form[action^="?/stance"] button[type=submit]').click();
    await omar.page.locator('.success', { hasText: 'stance was recorded' }).waitFor();
    // Rana's page updates live with Omar's stance.
    await rana.page.locator(`tr[data-live^="stance:"]`).first().waitFor();
    await rana.page.locator('input[name=stance][value=consent]').check();
    await rana.page.locator('form[action^="?/stance"] button[type=submit]').click();

    // ---- The window (urgent path, zero hours) has passed and the quorum is met: the scheduled decision
    // is taken, executed as budget events, and every open page follows.
    await rana.page.locator('.tag', { hasText: 'Adopted and applied' }).waitFor();
    await expect.poll(() => translationRow.textContent(), { timeout: 30_000 }).toContain('$12,500.00');
    await expect(translationRow.getAttribute('data-just-changed')).resolves.toBe('Just changed');
    await expect(auditor.page.locator('[role=status]').last().textContent()).resolves.toMatch(/updated/);

    // ---- The auditor finds the proposal's events in the trail, with their hashes.
    await auditor.page.goto(`${concord.url}/audit?proposal=${proposalId}`);
    const trail = auditor.page.locator('ol.trail');
    for (const label of [
      'Proposal drafted',
      'Proposal opened for feedback',
      'Stance taken',
      'Proposal decided',
    ]) {
      await expect(trail.textContent()).resolves.toContain(label);
    }
    const openedEntry = auditor.page.locator('ol.trail > li', { hasText: 'Proposal opened for feedback' });
    await openedEntry.locator('summary').click();
    await expect(openedEntry.locator('code.hash').textContent()).resolves.toMatch(/^[0-9a-f]{32,}$/);

    // ---- Time travel: just after the proposal opened, Translation still had its old figure.
    await openedEntry.locator('a', { hasText: 'Time travel' }).click();
    const then = auditor.page.locator('table.travel-budget tr[data-line="translation"]');
    await then.waitFor();
    await expect(then.locator('.then-allocated').textContent()).resolves.toMatch(
      /^\u2068?\$10,000\.00\u2069?$/,
    );
    await expect(then.textContent()).resolves.toContain('$12,500.00');
    await auditor.page.locator('#travel-proposal').selectOption(proposalId);
    await auditor.page.locator('#time-travel form button[type=submit]').click();
    await auditor.page.locator('.travel-proposal .then-status', { hasText: 'Open for feedback' }).waitFor();

    // ---- The exports download, with the filters of the page.
    for (const [label, check] of [
      ['Download CSV', (text: string) => text.startsWith('position,recorded_at,occurred_at,type,')],
      [
        'Download JSON lines',
        (text: string) =>
          text
            .split('\n')
            .filter(Boolean)
            .every((line) => {
              // Every event as stored, then each stream's recorded head (so a cut file shows).
              const entry = JSON.parse(line);
              if (entry.streamHead) return entry.streamHead.streamId && entry.streamHead.hash;
              return entry.hash && entry.data && entry.metadata && entry.streamId;
            }),
      ],
    ] as const) {
      const [download] = await Promise.all([
        auditor.page.waitForEvent('download'),
        auditor.page.locator('a.button', { hasText: label }).click(),
      ]);
      const text = readFileSync((await download.path()) as string, 'utf8');
      expect(check(text), label).toBe(true);
      expect(text).toContain('ProposalDecided');
    }

    // ---- The auditor verifies the whole history's hash chain from the page.
    await auditor.page.locator('button', { hasText: 'Verify the whole history now' }).click();
    await expect(auditor.page.locator('p.success[role=status]').textContent()).resolves.toMatch(
      /^Verified: \d+ events, intact up to position \d+\.$/,
    );
    await expect(auditor.page.locator('#verify-title ~ p code.hash').textContent()).resolves.toMatch(
      /^[0-9a-f]{64}$/,
    );

    expect(problems).toEqual([]);
  });
});
