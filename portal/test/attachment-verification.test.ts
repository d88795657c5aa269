// The audit page when a document the history cites was altered in the database: the verification fails
// and says it is a document (not an event), naming where the first event citing it is. A 360 px phone,
// English and Arabic (right to left), no sideways scrolling.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { AttachmentDb } from '../../services/api/src/attachments/table.ts';
import { chromiumUnavailable } from './helpers/chromium.ts';
import { demoBrowser, signedInContext } from './helpers/demo-browser.ts';
import { expectNoHorizontalScroll, messages } from './helpers/founding-walk.ts';

describe.skipIf(chromiumUnavailable())('the verification of attached documents, on the audit page', () => {
  const demo = demoBrowser();

  test('an altered document fails the verification, said as such, in English and Arabic', async () => {
    const { concord } = demo;
    const representative = concord.demo!.people.find((someone) => someone.role === 'representative')!;
    const signIn = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: representative.email, password: concord.demo!.password }),
    });
    const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
    const bytes = Buffer.from('%PDF-1.4\n% a quote\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const uploaded = await fetch(`${concord.url}/api/attachments`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/pdf' },
      body: bytes,
    });
    expect(uploaded.status).toBe(201);
    const ref = await uploaded.json();
    const drafted = await fetch(`${concord.url}/api/proposals`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'A quote for the venue',
        body: 'See the attached quote.',
        payload: {
          kind: 'charterChange',
          rules: null,
          sharedValues: ['Open books'],
          adoptSops: [],
          retireSopIds: [],
        },
        attachments: [ref],
      }),
    });
    const draftedBody = await drafted.text();
    expect(drafted.status, draftedBody).toBe(201);
    const result = JSON.parse(draftedBody) as { created: { proposalId: string }; position: number };
    const { proposalId } = result.created;
    const { position } = result;
    await (concord.app.database as unknown as AttachmentDb)
      .updateTable('api.attachments')
      .set({ bytes: Buffer.from('%PDF-1.4\n% not the quote\n%%EOF\n') })
      .where('sha256', '=', ref.sha256)
      .execute();

    for (const locale of ['en', 'ar'] as const) {
      const words = messages(locale);
      const context = await signedInContext(demo, demo.pages.people.auditor, {
        locale,
        viewport: { width: 360, height: 740 },
      });
      const page = await context.newPage();
      await page.goto(`${concord.url}/audit?verify=1`);
      const alert = page.locator('.alert[role=alert] p').first();
      const expected = words
        .verify_document_failed!.replace('{stream}', `\u2068proposal-${proposalId}\u2069`)
        .replace('{position}', String(position));
      expect((await alert.textContent())?.trim()).toBe(expected);
      await expect(page.locator('.alert[role=alert]').textContent()).resolves.toContain(ref.sha256);
      // The verification's panel alone (the whole page is the long audit trail), for people to review.
      if (process.env.CONCORD_SHOTS) {
        await page.locator('section:has(.alert[role=alert])').screenshot({
          path: join(process.env.CONCORD_SHOTS, `audit-altered-document-${locale}.png`),
        });
      }
      await expectNoHorizontalScroll(page, `/audit?verify=1 with an altered document (${locale})`);
      await context.close();
    }
  });
});
