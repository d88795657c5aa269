// Documents on a proposal's comments, in Debian's Chromium on a 360 px phone without JavaScript (as on a
// slow link where scripts never arrive), in Spanish: a representative comments with a PDF; the comment
// lists it as a download through the portal for another organization's representative; a file Concord
// does not keep is refused in words and nothing is recorded.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { chromiumUnavailable } from './helpers/chromium.ts';
import { demoBrowser, signedInContext } from './helpers/demo-browser.ts';
import { messages } from './helpers/founding-walk.ts';
import { expectPhoneWidth, PHONE } from './helpers/pages.ts';

const PDF = Buffer.from('%PDF-1.4\n% per-site budgets\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

describe.skipIf(chromiumUnavailable())('documents on comments', () => {
  const demo = demoBrowser();

  test('a comment with a PDF, on a phone without JavaScript: listed, downloaded by another member; a refused file changes nothing', async () => {
    const es = messages('es');
    const { concord, pages } = demo;
    const path = `/proposals/${pages.openProposalId}`;
    const author = await signedInContext(demo, pages.people.representative, {
      locale: 'es',
      viewport: PHONE,
      javaScriptEnabled: false,
    });
    const page = await author.newPage();
    await page.goto(`${concord.url}${path}`);
    const form = page.locator('form#comment-form');
    await expect(form.getAttribute('enctype')).resolves.toBe('multipart/form-data');

    // A file Concord does not keep (a script posing as text) is refused in words; no comment is added.
    const before = await page.locator('ol.comments > li').count();
    await form.locator('textarea[name=text]').fill('El archivo equivocado');
    await form
      .locator('input[type=file][name=attachments]')
      .setInputFiles({ name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('#!/bin/sh\n') });
    await form.locator('button[type=submit]').click();
    await expect(page.locator('form#comment-form [role=alert]').textContent()).resolves.toContain(
      es.problem_attachment_type_refused,
    );
    await expect(page.locator('ol.comments > li').count()).resolves.toBe(before);

    // The PDF is kept and cited by the comment.
    const text = 'Adjunto los presupuestos por sede que pidió el comité.';
    await page.locator('form#comment-form textarea[name=text]').fill(text);
    await page
      .locator('form#comment-form input[type=file][name=attachments]')
      .setInputFiles({ name: 'presupuestos.pdf', mimeType: 'application/pdf', buffer: PDF });
    await Promise.all([
      page.waitForEvent('load'),
      page.locator('form#comment-form button[type=submit]').click(),
    ]);
    const sha256 = createHash('sha256').update(PDF).digest('hex');
    // Without JavaScript the answer page shows what the read models held when it was rendered, and on a
    // loaded machine they can answer after the command's wait for them: the comment is confirmed through
    // the API, then the page is opened again, as a person would.
    await expect
      .poll(
        async () => {
          const detail = (await (await author.request.get(`${concord.url}/api${path}`)).json()) as {
            comments: { text: string }[];
          };
          return detail.comments.some((entry) => entry.text === text);
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    await page.goto(`${concord.url}${path}`);
    const comment = page.locator('ol.comments > li', { hasText: text });
    await comment.waitFor();
    const link = comment.locator(`a[href="/attachments/${sha256}"]`);
    await expect(link.textContent()).resolves.toContain('PDF');
    await expectPhoneWidth(page, 'the proposal page with a document (es)');

    // Another organization's representative downloads it through the portal.
    const reader = await signedInContext(demo, pages.people.second, { locale: 'es', viewport: PHONE });
    const download = await reader.request.get(`${concord.url}/attachments/${sha256}`);
    expect(download.status()).toBe(200);
    expect(Buffer.compare(await download.body(), PDF)).toBe(0);
    await author.close();
    await reader.close();
  });
});
