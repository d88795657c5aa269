// The witnessed log in the portal (ADR 0009), in Debian's Chromium against a real Concord (the demo
// coalition, the log running as main.ts runs it): the audit page shows the latest checkpoint and which
// member organization cosigned it, with and without JavaScript; every signed-in browser keeps the last
// checkpoint it verified and accepts a newer one only with a consistency proof; and when the server shows
// a smaller history (rollback) or another history of the same size (fork), a red alert in the reader's
// language offers the evidence, on every page, at 360 px, and the kept checkpoint stays as it was.
// With CONCORD_SHOTS=<directory>, screenshots of the alarm at 360 px (English and Arabic) for review.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  formatCheckpoint,
  parseCheckpoint,
  parseNote,
  signNote,
} from '../../packages/transparency/src/index.ts';
import { forgedSpending } from '../../services/api/test/support/forgery.ts';
import { newWitnessKey, witness } from '../../services/cli/src/commands/witness.ts';
import { chromiumUnavailable, launchChromium } from './helpers/chromium.ts';
import { type RunningConcord, startConcord } from './helpers/concord.ts';
import {
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  type Locale,
  messages,
  shot,
  textOf,
} from './helpers/founding-walk.ts';
import { closeAfterAll, PHONE, screenshotsOnFailure, signInAt, watchedPage } from './helpers/pages.ts';

/** Where the browser keeps the checkpoint it verified (`keptKey` in $lib/log-check). */
const keptKey = 'concord.log.checkpoint';
/** Kampala Urban Refugee Network's representatives in the demo: Grace runs its witness, Joseph reads. */
const witnessHolder = 'grace@kurn.example';
const reader = 'joseph@kurn.example';
const organization = 'Kampala Urban Refugee Network';

describe.skipIf(chromiumUnavailable())('the witnessed log in the portal', () => {
  let concord: RunningConcord;
  let browser: Browser;
  let dir: string;
  const contexts: BrowserContext[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    concord = await startConcord({ demo: true, witnessedLog: true });
    browser = await launchChromium();
    dir = mkdtempSync(join(tmpdir(), 'concord-portal-witness-'));
  });

  screenshotsOnFailure('witnessed', contexts);
  closeAfterAll(() => ({ contexts, browser, concord }));
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const log = () => concord.app.witnessedLog!;
  const env = () => ({ CONCORD_EMAIL: witnessHolder, CONCORD_PASSWORD: concord.demo!.password });

  /** Signs in over the API as `email`; the session cookie and the organization they represent. */
  async function apiSession(email: string) {
    const response = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: concord.demo!.password }),
    });
    expect(response.status).toBe(200);
    const me = (await response.json()) as { organizationId: string };
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { cookie, organizationId: me.organizationId };
  }

  /** A new witness key (as `concord witness --new-key` makes it), registered by the representative. */
  async function registerWitness(name: string) {
    const keyFile = join(dir, `${name}.key`);
    let printed = '';
    expect(newWitnessKey(keyFile, name, { write: (text: string) => (printed += text) })).toBe(0);
    const witnessKey = printed.trim().split('\n').at(-1)!;
    const { cookie, organizationId } = await apiSession(witnessHolder);
    const response = await fetch(`${concord.url}/api/members/${organizationId}/witness-keys`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ witnessKey }),
    });
    expect(response.status, await response.text()).toBe(200);
    return keyFile;
  }

  /** A browser at 360 px reading `locale`, signed in as the reader. */
  async function phone(locale: Locale, javaScript: boolean) {
    const { page } = await watchedPage({ browser, contexts, problems }, locale, {
      locale,
      javaScriptEnabled: javaScript,
      viewport: PHONE,
      acceptDownloads: true,
    });
    await signInAt(page, concord.url, reader, concord.demo!.password);
    return page;
  }

  /** Waits until the browser keeps a checkpoint of at least `size` events; its note. */
  async function keptAtLeast(page: Page, size: number): Promise<string> {
    const handle = await page.waitForFunction(
      ({ key, size }) => {
        const note = localStorage.getItem(key);
        return note && Number(note.split('\n')[1]) >= size ? note : null;
      },
      { key: keptKey, size },
    );
    return (await handle.jsonValue()) as string;
  }

  /** A checkpoint note the instance key really signed, of any size and root: what a lying host can show. */
  function signedByTheInstance(size: number, fill: number): string {
    const origin = concord.logSigner!.name;
    return signNote(formatCheckpoint({ origin, size, root: new Uint8Array(32).fill(fill), extensions: [] }), [
      concord.logSigner!,
    ]);
  }

  /** The alarm is up, in `locale`, with the evidence to download: returns the evidence. */
  async function expectAlarm(page: Page, locale: Locale, reason: 'rollback' | 'fork') {
    const t = messages(locale);
    const alarm = page.getByRole('alert').filter({ hasText: t.log_alarm_title! });
    await alarm.waitFor();
    expect(await alarm.textContent()).toContain(
      reason === 'rollback' ? t.log_alarm_rollback : t.log_alarm_fork,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      alarm.getByRole('link', { name: t.log_alarm_download! }).click(),
    ]);
    const saved = join(dir, `evidence-${locale}.json`);
    await download.saveAs(saved);
    return JSON.parse(readFileSync(saved, 'utf8')) as {
      reason: string;
      previous: string;
      offered: string;
      proof: string[];
    };
  }

  test('the audit page shows the checkpoint and the organization that cosigned it, with and without JavaScript', async () => {
    const keyFile = await registerWitness('witness.kurn.example');
    const latest = await log().checkpointNow();
    const out = { text: '', write: (text: string) => (out.text += text) };
    const code = await witness(
      { url: concord.url, keyFile, stateFile: join(dir, 'state.json'), logKey: log().logKey, env: env() },
      out,
      out,
    );
    expect(code, out.text).toBe(0);
    const root = parseNote(latest.note).text.split('\n')[2]!;

    for (const [locale, javaScript] of [
      ['en', true],
      ['fr', false],
    ] as const) {
      const t = messages(locale);
      // axe is a script: it runs where JavaScript does.
      const page = await phone(locale, javaScript);
      await page.goto(`${concord.url}/audit`);
      expect(await textOf(page, 'h2#log-title')).toBe(t.log_title);
      expect(await textOf(page, '[data-testid=log-root]')).toBe(root);
      expect((await textOf(page, '[data-testid=log-size]')).replace(/\D/g, '')).toBe(String(latest.size));
      // When the server signed it, by its clock (a date of this year, in the reader's format).
      expect(await textOf(page, '[data-testid=log-signed-at]')).toContain(
        String(new Date().getUTCFullYear()),
      );
      const cosigners = await textOf(page, '[data-testid=log-cosigners]');
      expect(cosigners).toContain(organization);
      expect(cosigners).toContain('witness.kurn.example');
      await expectNoHorizontalScroll(page, `audit (${locale})`);
      if (javaScript) await expectNoAxeViolations(page, `audit with the log (${locale})`);
      await page.context().close();
    }
  }, 60_000);

  test('the browser keeps what it verified, follows the log silently, and raises the alarm on a rollback or a fork', async () => {
    // English: the first visit keeps the latest checkpoint as it is.
    const first = await log().checkpointNow();
    const page = await phone('en', true);
    const kept = await keptAtLeast(page, first.size);
    expect(parseCheckpoint(parseNote(kept).text).size).toBe(first.size);

    // More events, a new checkpoint: the next visit proves consistency and keeps it, without a word.
    await registerWitness('witness2.kurn.example');
    const second = await log().checkpointNow();
    expect(second.size).toBeGreaterThan(first.size);
    await page.goto(`${concord.url}/budget`);
    expect(await keptAtLeast(page, second.size)).toBe(second.note);
    expect(await page.locator('[data-testid=log-alarm]').count()).toBe(0);

    // Rollback: this browser once verified a bigger tree than the server now shows.
    const bigger = signedByTheInstance(second.size + 5, 7);
    await page.evaluate(({ key, note }) => localStorage.setItem(key, note), { key: keptKey, note: bigger });
    await page.goto(`${concord.url}/`);
    const evidence = await expectAlarm(page, 'en', 'rollback');
    expect(evidence).toMatchObject({ reason: 'rollback', previous: bigger, offered: second.note });
    await expectNoHorizontalScroll(page, 'the alarm (en)');
    await shot(page, 'log-alarm-en');
    // On every page (a navigation keeps it up), and the kept checkpoint is not replaced.
    await page.locator('nav.site-nav a[href="/audit"]').click();
    await page.waitForURL(`${concord.url}/audit`);
    await page
      .getByRole('alert')
      .filter({ hasText: messages('en').log_alarm_title! })
      .waitFor();
    expect(await page.evaluate((key) => localStorage.getItem(key), keptKey)).toBe(bigger);

    // Arabic: a fork — another tree of the very size this browser verified.
    const arabic = await phone('ar', true);
    await keptAtLeast(arabic, second.size);
    const fork = signedByTheInstance(second.size, 9);
    await arabic.evaluate(({ key, note }) => localStorage.setItem(key, note), { key: keptKey, note: fork });
    await arabic.goto(`${concord.url}/proposals`);
    const forked = await expectAlarm(arabic, 'ar', 'fork');
    expect(forked).toMatchObject({ reason: 'fork', previous: fork, offered: second.note, proof: [] });
    expect(await arabic.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await expectNoHorizontalScroll(arabic, 'the alarm (ar)');
    await shot(arabic, 'log-alarm-ar');
    expect(await arabic.evaluate((key) => localStorage.getItem(key), keptKey)).toBe(fork);
    expect(problems).toEqual([]);
  }, 60_000);

  // Last in this file: it leaves a forged event in the history.
  test('a forged decision effect: every page warns members, with and without JavaScript, in their language', async () => {
    const { eventStore: store, effects } = concord.app;
    await effects!.waitFor(await store.head());
    expect(effects!.alarm().problemCount).toBe(0); // the demo's history is clean: no page warns
    const clean = await phone('en', false);
    await clean.goto(`${concord.url}/proposals`);
    expect(await clean.locator('[data-testid=effects-alarm]').count()).toBe(0);

    // Someone with the database appends USD 100,000 "spent by decision" with a valid hash; no decision made it.
    const decisionEventId = crypto.randomUUID();
    const budgetId = crypto.randomUUID();
    const forged = await store.append(
      `budget-${budgetId}`,
      [forgedSpending({ budgetId, decisionEventId, at: new Date().toISOString() })],
      { expectedVersion: 0 },
    );
    await effects!.waitFor(forged.lastGlobalPosition);

    for (const [locale, javaScript] of [
      ['en', false],
      ['ar', true],
    ] as const) {
      const page = await phone(locale, javaScript);
      await page.goto(`${concord.url}/proposals`);
      const t = messages(locale);
      const alarm = page.locator('[data-testid=effects-alarm]');
      await alarm.waitFor();
      const text = await textOf(page, '[data-testid=effects-alarm]');
      expect(text).toContain(t.effects_alarm_title!.replace('{count}', '1'));
      expect(text).toContain(
        t
          .effects_alarm_detail!.replace('{type}', 'BudgetLineSpent')
          .replace('{position}', String(forged.lastGlobalPosition)),
      );
      expect(await alarm.locator('a[href="/audit"]').count()).toBe(1);
      await expectNoHorizontalScroll(page, `the effects alarm (${locale})`);
      await shot(page, `effects-alarm-${locale}`);
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
