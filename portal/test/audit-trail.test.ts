// The audit trail in the reader's words, in a browser against the demo coalition: in Spanish and Arabic
// each entry is a sentence made from the event's data, with organizations by name (never an id) and money
// with the portal's formatter; the JSONL export still holds every event's data as recorded.

import type { BrowserContext } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { verifyExportLines } from '../../packages/event-store/src/index.ts';
import { formatMoney } from '../src/lib/format.ts';
import { chromiumUnavailable } from './helpers/chromium.ts';
import { demoBrowser, signedInContext } from './helpers/demo-browser.ts';

interface ExportedEvent {
  globalPosition: number;
  type: string;
  data: Record<string, unknown>;
}
interface Entry {
  position: number;
  type: string;
  data: Record<string, unknown> | null;
}

const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const plain = (text: string) => text.replace(/[\u2066-\u2069]/g, '');

describe.skipIf(chromiumUnavailable())('the audit trail, from the events’ data', () => {
  const demo = demoBrowser();
  const signedIn = (locale: string) =>
    signedInContext(demo, demo.pages.people.auditor, { locale, viewport: { width: 360, height: 740 } });

  /** The whole trail as the API gives it, oldest first. */
  async function trail(context: BrowserContext): Promise<Entry[]> {
    const entries: Entry[] = [];
    let after = 0;
    for (;;) {
      const response = await context.request.get(`${demo.concord.url}/api/audit?limit=1000&after=${after}`);
      expect(response.status()).toBe(200);
      const body = (await response.json()) as { entries: Entry[]; next: number | null };
      entries.push(...body.entries);
      if (body.next === null) return entries;
      after = body.next;
    }
  }

  test('in Spanish and Arabic, entries are sentences naming organizations and formatting amounts', async () => {
    for (const locale of ['es', 'ar'] as const) {
      const context = await signedIn(locale);
      const entries = await trail(context);
      const directory = (await (await context.request.get(`${demo.concord.url}/api/members`)).json()) as {
        members: { organizationId: string; name: string }[];
      };
      const memberName = new Map(directory.members.map((member) => [member.organizationId, member.name]));
      const currency = (
        (await (await context.request.get(`${demo.concord.url}/api/budgets`)).json()) as {
          budgets: { currency: string }[];
        }
      ).budgets[0]!.currency;
      // An application names its organization and the amount it asks for: both must be in its sentence.
      const applications = entries.filter((entry) => entry.type === 'GrantApplicationSubmitted');
      expect(applications.length).toBeGreaterThan(0);

      const page = await context.newPage();
      await page.goto(`${demo.concord.url}/audit?type=GrantApplicationSubmitted`);
      const sentences = (await page.locator('[data-testid=audit-sentence]').allTextContents()).map(plain);
      expect(sentences).toHaveLength(applications.length);
      for (const application of applications) {
        const data = application.data!;
        // Applicants may be outside the coalition: then the name they applied under.
        const name = memberName.get(data.applicantOrganizationId as string) ?? (data.applicantName as string);
        const amount = plain(formatMoney(data.amountRequested as number, currency, locale));
        expect(
          sentences.some((sentence) => sentence.includes(name) && sentence.includes(amount)),
          `${locale}: a sentence with ${name} and ${amount} in ${JSON.stringify(sentences)}`,
        ).toBe(true);
      }
      expect(sentences.join('\n')).not.toMatch(uuid);
      // What the entries concern is linked by name too (an applicant outside the coalition has no page).
      expect((await page.locator('ol.trail .about').allTextContents()).join('\n')).not.toMatch(uuid);

      // Stances name the member organizations that took them.
      const stances = entries.filter((entry) => entry.type === 'StanceTaken').slice(-50);
      await page.goto(`${demo.concord.url}/audit?type=StanceTaken`);
      const stanceSentences = (await page.locator('[data-testid=audit-sentence]').allTextContents()).map(
        plain,
      );
      const newest = stances.at(-1)!.data!;
      expect(stanceSentences[0]).toContain(memberName.get(newest.organizationId as string));
      expect(stanceSentences.join('\n')).not.toMatch(uuid);

      // The newest page of the whole trail: every entry has its sentence, none shows an id or falls back
      // to the English summary; the sentence is in the page's language.
      await page.goto(`${demo.concord.url}/audit`);
      const shown = await page.locator('ol.trail > li').count();
      expect(shown).toBeGreaterThan(0);
      await expect(page.locator('[data-testid=audit-sentence]').count()).resolves.toBe(shown);
      await expect(page.locator('[data-testid=audit-summary]').count()).resolves.toBe(0);
      const all = (await page.locator('[data-testid=audit-sentence]').allTextContents()).map(plain);
      expect(all.join('\n')).not.toMatch(uuid);
      if (locale === 'ar') for (const sentence of all) expect(sentence).toMatch(/[\u0600-\u06ff]/);
      await context.close();
    }
  });

  test('the JSONL export holds every event’s data as recorded, the same the trail entries carry', async () => {
    const context = await signedIn('en');
    const response = await context.request.get(`${demo.concord.url}/audit/export.jsonl`);
    expect(response.status()).toBe(200);
    const lines = (await response.text()).split('\n').filter((line) => line.length > 0);
    // The hash chain still verifies: the data is byte for byte what was recorded.
    const verified = await verifyExportLines(lines);
    expect(verified.ok).toBe(true);
    const exported = lines
      .map((line) => JSON.parse(line) as Partial<ExportedEvent>)
      .filter((line): line is ExportedEvent => typeof line.globalPosition === 'number' && 'data' in line);
    const entries = await trail(context);
    expect(exported.length).toBe(entries.length);
    const byPosition = new Map(entries.map((entry) => [entry.position, entry]));
    for (const event of exported) {
      const entry = byPosition.get(event.globalPosition);
      expect(entry?.type).toBe(event.type);
      expect(entry?.data, `${event.type} at ${event.globalPosition}`).toEqual(event.data);
    }
    await context.close();
  });
});
