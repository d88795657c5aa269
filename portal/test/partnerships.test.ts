// Partnerships in the portal (issue 15, ADR 0027), in Debian's Chromium on 360 px phones against a real
// Concord with the demo coalition and its partnership with Global Relief International: the facilitator
// opens a round (not pooled: only two member organizations answer, and a pooled round would withhold
// their figures); the partner answers on a phone with JavaScript, two member representatives answer (one
// in Arabic without JavaScript); the facilitator closes it; the results show the perception gap on
// co-leadership; a member proposes an action, the partner agrees; a new round opens, the partner follows
// the action up and a member sees it. The partner opening /budget lands on their partnerships and sees
// nothing of the coalition's. Then every new page, in the four languages, with and without JavaScript,
// fits a phone. No sleeps: every step waits for what the person sees.
import { createHash } from 'node:crypto';
import { PILLARS, streamIdFor } from '@concord/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import {
  expectNoHorizontalScroll,
  fill,
  type Locale,
  messages,
  plain,
  shot,
  submit as submitButton,
} from './helpers/founding-walk.ts';
import { closeAfterAll, PHONE } from './helpers/pages.ts';

const PARTNERSHIP = '/partnerships/partnership-global-relief';
const PARTNERSHIP_ID = 'partnership-global-relief';
const PARTNER = 'org-global-relief';

/** A 1×1 picture (PNG): a meeting's minutes, photographed. */
const MINUTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe.skipIf(chromiumUnavailable())('partnerships in the portal', () => {
  let concord: RunningConcord;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    concord = await startConcord({ demo: true });
    browser = await launchChromium();
  });
  closeAfterAll(() => ({ contexts, browser, concord }));

  const email = (role: string, organization?: string) => {
    const found = concord.demo!.people.find(
      (person) =>
        person.role === role && (organization === undefined || person.organization?.startsWith(organization)),
    );
    if (!found) throw new Error(`the demo has no ${role} ${organization ?? ''}`);
    return found.email;
  };

  /** A signed-in 360 px phone reading `locale`, with or without JavaScript, where sign-in led them. */
  async function phone(locale: Locale, who: string, javaScript: boolean): Promise<Page> {
    const context = await browser.newContext({ locale, javaScriptEnabled: javaScript, viewport: PHONE });
    contexts.push(context);
    await context.addCookies([{ name: 'concord_locale', value: locale, url: concord.url }]);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => problems.push(`${who} pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${who} console: ${message.text()}`);
    });
    await page.goto(`${concord.url}/sign-in`);
    await page.locator('#email').fill(who);
    await page.locator('#password').fill(concord.demo!.password);
    await Promise.all([
      page.waitForURL((url) => url.pathname !== '/sign-in'),
      page.locator('form.stacked button[type=submit]').click(),
    ]);
    return page;
  }

  /** Clicks the submit button `selector` finds and waits for the answer (see `submitButton`). */
  const submit = (page: Page, selector: string, javaScript: boolean) =>
    submitButton(page, page.locator(selector), javaScript);

  /**
   * What the page at `path` shows, opened again until `read` gives `expected` (or 30 s passed): partners'
   * pages are not live, and on a loaded machine the read models can be a moment behind a command.
   */
  async function shownAfterOpening(page: Page, path: string, read: () => Promise<string>, expected: string) {
    await expect
      .poll(
        async () => {
          await page.goto(`${concord.url}${path}`);
          return read();
        },
        { timeout: 30_000 },
      )
      .toBe(expected);
  }

  /**
   * Answers the open round: `coLeadership` as given, every other pillar 3, one comment, and `evidence`
   * (a document) when given.
   */
  async function answer(
    page: Page,
    locale: Locale,
    coLeadership: string,
    javaScript: boolean,
    evidence?: { name: string; mimeType: string; buffer: Buffer },
  ) {
    const t = messages(locale);
    await page.goto(`${concord.url}${PARTNERSHIP}`);
    await page.locator(`a[href*="/rounds/"][href$="/answer"]`).click();
    await page.waitForURL(/\/answer$/);
    await page.locator('fieldset[data-pillar=power]').waitFor();
    await expectNoHorizontalScroll(page, `the check-in form (${locale})`);
    for (const pillar of PILLARS) {
      await page
        .locator(`input[name="rating-${pillar}"][value="${pillar === 'coLeadership' ? coLeadership : '3'}"]`)
        .check();
    }
    await page.locator('#comment-coLeadership').fill(`Co-leadership seen from ${locale}`);
    if (evidence) await page.locator('#check-in-evidence').setInputFiles(evidence);
    await submit(page, 'form.check-in > button[type=submit]', javaScript);
    await page.getByText(t.checkin_saved!).waitFor();
    // The form opened again holds the organization's answer (the draft, until the round closes).
    await page.goto(page.url().split('?')[0]!);
    await expect(
      page.locator(`input[name="rating-coLeadership"][value="${coLeadership}"]`).isChecked(),
    ).resolves.toBe(true);
    await expect(page.locator('#comment-coLeadership').inputValue()).resolves.toBe(
      `Co-leadership seen from ${locale}`,
    );
    if (evidence) {
      // Cited by the answer, listed with it, and kept by the next answer unless unticked.
      const sha256 = createHash('sha256').update(evidence.buffer).digest('hex');
      await expect(page.locator(`.evidence a[href="/attachments/${sha256}"]`).count()).resolves.toBe(1);
      await expect(page.locator(`input[name=keepEvidence][value="${sha256}"]`).isChecked()).resolves.toBe(
        true,
      );
      const download = await page.request.get(`${concord.url}/attachments/${sha256}`);
      expect(download.status()).toBe(200);
      expect(Buffer.from(await download.body()).equals(evidence.buffer)).toBe(true);
    }
    return page;
  }

  test('a round answered by a partner and two members, its gap, an action agreed and followed up', async () => {
    const en = messages('en');
    const ar = messages('ar');
    const es = messages('es');

    // The partner lands on their partnerships, and is brought back there from the coalition's pages.
    const partner = await phone('en', 'daniel@global-relief.example', true);
    expect(new URL(partner.url()).pathname).toBe('/partnerships');
    await partner.goto(`${concord.url}/budget`);
    expect(new URL(partner.url()).pathname).toBe('/partnerships');
    await expect(partner.locator('.site-nav a').allTextContents()).resolves.toEqual([en.nav_partnerships]);
    const listText = plain((await partner.locator('main').textContent()) ?? '');
    expect(listText).toContain('Global Relief International');
    for (const organization of concord.demo!.organizations) expect(listText).not.toContain(organization);
    await shot(partner, 'partnerships-partner-list');
    await partner.goto(`${concord.url}${PARTNERSHIP}`);
    const partnerDetail = plain((await partner.locator('main').textContent()) ?? '');
    for (const organization of concord.demo!.organizations) expect(partnerDetail).not.toContain(organization);

    // The facilitator opens a round that is not pooled (only two members will answer).
    const facilitator = await phone('en', email('facilitator'), true);
    await facilitator.goto(`${concord.url}${PARTNERSHIP}`);
    await facilitator.locator('input[name=pooled]').uncheck();
    await submit(facilitator, 'form[action="?/openRound"] button[type=submit]', true);
    await facilitator.getByText(en.round_opened_notice!).waitFor();
    await expectNoHorizontalScroll(facilitator, 'the partnership with a round open');
    await shot(facilitator, 'partnerships-facilitator-round-open');

    // The partner (JavaScript, phone), Nile Bridges (Arabic, no JavaScript) and Frontera Viva answer.
    await answer(partner, 'en', '4', true);
    await shot(partner, 'partnerships-partner-answered');
    const mona = await phone('ar', email('representative', 'Nile Bridges'), false);
    // Her organization's minutes go with its answer, as a photograph taken on the phone.
    await answer(mona, 'ar', '2', false, { name: 'minutes.png', mimeType: 'image/png', buffer: MINUTES });
    await shot(mona, 'partnerships-ar-nojs-answered');
    const camila = await phone('es', email('representative', 'Frontera'), true);
    await answer(camila, 'es', '2', true);

    // A partner reads how many answered, the coalition's people read who.
    await shownAfterOpening(
      partner,
      PARTNERSHIP,
      async () => plain((await partner.locator('[data-testid=answered]').textContent()) ?? ''),
      fill(en.round_answered_count!, { count: '3' }),
    );
    await facilitator.goto(`${concord.url}${PARTNERSHIP}`);
    const answered = plain((await facilitator.locator('[data-testid=answered]').textContent()) ?? '');
    expect(answered).toContain('Nile Bridges Initiative');
    expect(answered).toContain('Global Relief International');

    // The facilitator closes it: the members rate co-leadership 2, the partner 4, a gap of +2.
    await submit(facilitator, 'form[action="?/closeRound"] button[type=submit]', true);
    await facilitator.getByText(en.round_closed_notice!).waitFor();
    const coLeadership = facilitator.locator('[data-testid=result-coLeadership]');
    await shownAfterOpening(
      facilitator,
      PARTNERSHIP,
      async () => (await coLeadership.locator('.figure[data-party=coalition]').textContent()) ?? '',
      '2.0',
    );
    await expect(coLeadership.locator(`.figure[data-party=${PARTNER}]`).textContent()).resolves.toBe('4.0');
    await expect(
      coLeadership
        .locator(`.gap[data-party=${PARTNER}]`)
        .textContent()
        .then((text) => plain(text ?? '')),
    ).resolves.toBe('+2.0');
    await expect(facilitator.locator('figure.pillar-chart svg[role=img]').count()).resolves.toBe(1);
    await expectNoHorizontalScroll(facilitator, 'the results');
    await shot(facilitator, 'partnerships-results');

    // Frontera Viva proposes an action for Global Relief on co-leadership; the partner agrees.
    await camila.goto(`${concord.url}${PARTNERSHIP}`);
    await camila.locator('[data-testid=actions] details > summary').last().click();
    const description = 'Global Relief co-chairs the quarterly meeting with a member organization';
    await camila.locator('#action-description').fill(description);
    await camila.locator('#action-pillar').selectOption('coLeadership');
    await camila.locator('#action-owner').selectOption(PARTNER);
    await submit(camila, 'form[action="?/proposeAction"] button[type=submit]', true);
    await camila.getByText(es.action_proposed_notice!).waitFor();

    await partner.goto(`${concord.url}${PARTNERSHIP}`);
    const item = partner.locator('[data-testid=action]', { hasText: description });
    await submit(
      partner,
      `[data-testid=action]:has-text("${description}") form[action="?/agreeAction"] button`,
      true,
    );
    await partner.getByText(en.action_agreed_notice!).waitFor();
    await item.locator('.tag', { hasText: en.action_status_agreed! }).first().waitFor();

    // A new round opens; the partner says what was done; Nile Bridges (Arabic, no JavaScript) reads it.
    await facilitator.goto(`${concord.url}${PARTNERSHIP}`);
    await submit(facilitator, 'form[action="?/openRound"] button[type=submit]', true);
    await facilitator.getByText(en.round_opened_notice!).waitFor();
    await partner.goto(`${concord.url}${PARTNERSHIP}`);
    const agreed = partner.locator('[data-testid=action]', { hasText: description });
    await agreed.locator('summary').click();
    await agreed.locator('select[name=status]').selectOption('inProgress');
    const note = 'Co-chaired the May meeting with Nile Bridges';
    await agreed.locator('textarea[name=note]').fill(note);
    await submit(
      partner,
      `[data-testid=action]:has-text("${description}") form[action="?/followUpAction"] button[type=submit]`,
      true,
    );
    await partner.getByText(en.action_followed_up_notice!).waitFor();
    await shot(partner, 'partnerships-partner-followed-up');

    await mona.goto(`${concord.url}${PARTNERSHIP}`);
    const seen = mona.locator('[data-testid=action]', { hasText: description });
    await seen.getByText(note).waitFor();
    await seen.locator('.tag', { hasText: ar.action_status_in_progress! }).first().waitFor();
    await expectNoHorizontalScroll(mona, 'the partnership in Arabic without JavaScript');
    await shot(mona, 'partnerships-ar-nojs-detail');

    expect(problems).toEqual([]);
  });

  /**
   * The demo's first two rounds as recorded: their ids, and two moments to look back at — when the first
   * closed (the second not opened yet) and just before the second closed (open then).
   */
  async function demoRounds() {
    const events = await concord.app.eventStore.readStream(streamIdFor.partnership(PARTNERSHIP_ID));
    const [first, second] = events.filter((event) => event.type === 'CheckInRoundClosed');
    const roundOf = (event: typeof first) => (event!.data as { roundId: string }).roundId;
    expect(second!.recordedAt.getTime()).toBeGreaterThan(first!.recordedAt.getTime());
    return {
      first: roundOf(first),
      second: roundOf(second),
      afterFirst: first!.recordedAt.toISOString(),
      beforeSecondClosed: new Date(second!.recordedAt.getTime() - 1).toISOString(),
    };
  }

  test('the partnership as it stood between its two rounds: the first round’s results, not the second’s', async () => {
    const en = messages('en');
    const rounds = await demoRounds();
    const member = await phone('en', email('representative', 'Cedar'), false);
    const round = (roundId: string) => member.locator(`[data-testid=as-of-round][data-round="${roundId}"]`);

    // The form on the partnership's page (a GET, without JavaScript): today, both rounds closed.
    await member.goto(`${concord.url}${PARTNERSHIP}`);
    await member.locator('#as-of-on').fill(new Date().toISOString().slice(0, 10));
    await Promise.all([
      member.waitForEvent('load'),
      member.locator('[data-testid=as-of-form] button').click(),
    ]);
    expect(new URL(member.url()).pathname).toBe(`${PARTNERSHIP}/as-of`);
    await expect(round(rounds.first).getAttribute('data-status')).resolves.toBe('closed');
    await expect(round(rounds.second).getAttribute('data-status')).resolves.toBe('closed');

    // Once the first round had closed: its results; the second not opened yet.
    await member.goto(`${concord.url}${PARTNERSHIP}/as-of?at=${encodeURIComponent(rounds.afterFirst)}`);
    await expect(round(rounds.first).getAttribute('data-status')).resolves.toBe('closed');
    await expect(
      round(rounds.first).locator('[data-testid=result-coLeadership] .figure').count(),
    ).resolves.toBe(2);
    await expect(round(rounds.second).count()).resolves.toBe(0);
    await expect(
      member.locator('h2', { hasText: en.asof_agreement_title!.replace(/ \(.*$/, '') }).count(),
    ).resolves.toBe(1);
    await expectNoHorizontalScroll(member, 'the partnership as it stood');
    await shot(member, 'partnerships-as-of-between');

    // Just before the second closed: open then, without results.
    await member.goto(
      `${concord.url}${PARTNERSHIP}/as-of?at=${encodeURIComponent(rounds.beforeSecondClosed)}`,
    );
    await expect(round(rounds.second).getAttribute('data-status')).resolves.toBe('open');
    await expect(round(rounds.second).locator('[data-testid^=result-]').count()).resolves.toBe(0);
    await expect(round(rounds.first).locator('[data-testid=result-coLeadership]').count()).resolves.toBe(1);

    // Before the partnership was established: nothing yet; and back to today.
    await member.goto(`${concord.url}${PARTNERSHIP}/as-of?on=2000-01-01`);
    await member.locator('[data-testid=as-of-none]').waitFor();
    await Promise.all([member.waitForEvent('load'), member.locator('[data-testid=back-to-today]').click()]);
    expect(new URL(member.url()).pathname).toBe(PARTNERSHIP);
    await member.context().close();
    expect(problems).toEqual([]);
  });

  test('every partnership page fits a phone in four languages, with and without JavaScript', async () => {
    const rounds = await demoRounds();
    for (const locale of ['en', 'es', 'fr', 'ar'] as const) {
      for (const javaScript of [true, false]) {
        const how = `${locale}-${javaScript ? 'js' : 'nojs'}`;
        const member = await phone(locale, email('representative', 'Cedar'), javaScript);
        await member.goto(`${concord.url}/partnerships`);
        await member.locator('h1').waitFor();
        if (locale === 'ar') await expect(member.locator('html').getAttribute('dir')).resolves.toBe('rtl');
        await expectNoHorizontalScroll(member, `/partnerships (${how})`);
        await shot(member, `partnerships-${how}-list`);
        await member.goto(`${concord.url}${PARTNERSHIP}`);
        await member.locator('[data-testid=results]').waitFor();
        await expectNoHorizontalScroll(member, `the partnership (${how})`);
        await shot(member, `partnerships-${how}-detail`);
        await member.goto(`${concord.url}${PARTNERSHIP}/as-of?at=${encodeURIComponent(rounds.afterFirst)}`);
        await member.locator('[data-testid=as-of-round]').first().waitFor();
        await expectNoHorizontalScroll(member, `the partnership as it stood (${how})`);
        await shot(member, `partnerships-${how}-as-of`);
        await member.goto(`${concord.url}${PARTNERSHIP}`);
        await member.locator(`a[href*="/rounds/"][href$="/answer"]`).click();
        await member.locator('fieldset[data-pillar=sharedLearning]').waitFor();
        await expectNoHorizontalScroll(member, `the check-in form (${how})`);
        await shot(member, `partnerships-${how}-answer`);
        await member.context().close();
      }
    }
    expect(problems).toEqual([]);
  });
});
