// The portal's download proxy (/attachments/<sha256>): the API's answer streamed for the signed-in person
// with the API's headers (a download, sandboxed), so a plain link works without JavaScript; and whatever
// the API refuses, refused here too.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningConcord, startConcord } from './helpers/concord.ts';

describe('downloading a document through the portal', () => {
  let concord: RunningConcord;

  beforeAll(async () => {
    concord = await startConcord({ demo: true });
  }, 300_000);
  afterAll(async () => {
    await concord?.stop();
  });

  async function cookieOf(email: string): Promise<string> {
    const signIn = await fetch(`${concord.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: concord.demo!.password }),
    });
    expect(signIn.status).toBe(200);
    return signIn.headers.getSetCookie()[0]!.split(';')[0]!;
  }

  test('streams the bytes with the API’s headers to whoever may read them, and refuses everyone else', async () => {
    const representatives = concord.demo!.people.filter((someone) => someone.role === 'representative');
    const uploader = await cookieOf(representatives[0]!.email);
    const other = await cookieOf(representatives[1]!.email);
    const bytes = Buffer.from(
      '%PDF-1.4\n% through the portal\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n',
    );
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const uploaded = await fetch(`${concord.url}/api/attachments`, {
      method: 'POST',
      headers: { cookie: uploader, 'content-type': 'application/pdf' },
      body: bytes,
    });
    expect(uploaded.status).toBe(201);

    const download = await fetch(`${concord.url}/attachments/${sha256}`, { headers: { cookie: uploader } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="${sha256.slice(0, 12)}.pdf"`,
    );
    expect(download.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('cache-control')).toBe('private');

    // Not cited by any record yet: only its uploader reads it; to anyone else it does not exist.
    const refused = await fetch(`${concord.url}/attachments/${sha256}`, { headers: { cookie: other } });
    expect(refused.status).toBe(404);
    expect(Buffer.from(await refused.arrayBuffer()).includes(bytes)).toBe(false);
    const unknown = await fetch(`${concord.url}/attachments/${'0'.repeat(64)}`, {
      headers: { cookie: uploader },
    });
    expect(unknown.status).toBe(404);
    const anonymous = await fetch(`${concord.url}/attachments/${sha256}`, { redirect: 'manual' });
    expect(anonymous.status).not.toBe(200);
    expect(Buffer.from(await anonymous.arrayBuffer()).includes(bytes)).toBe(false);
  });
});
