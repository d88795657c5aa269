import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { openPostgres } from '@concord/event-store';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '@concord/event-store/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { worldForSuite } from './support/suite.ts';
import { readTar } from './support/tar.ts';
import { BUDGET, type PrincipalName, type TestApp, testApp, World } from './support/world.ts';

const MAX = 64 * 1024;

/** A small PDF whose bytes differ with `text`. */
function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`);
}
/** A 1×1 PNG. */
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4500000000049454e44ae426082',
  'hex',
);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

interface Ref {
  sha256: string;
  mediaType: string;
  size: number;
}

/** An expense of A's on the ops line with these receipts, submitted over HTTP (the answer, unchecked). */
function submitExpense(
  world: World,
  receipts: unknown[],
  { amount = 1_000, description = 'Printing', spentOn = '2025-03-02' } = {},
) {
  return world.request('repA', 'POST', `/api/budgets/${BUDGET}/expenses`, {
    lineId: 'ops',
    amount,
    description,
    spentOn,
    receipts,
  });
}

/** An expense of A's with `receipt` as its one restricted receipt, submitted (201) and projected. */
async function expenseWithRestrictedReceipt(
  world: World,
  receipt: Ref,
  expense: Parameters<typeof submitExpense>[2],
) {
  const submitted = await submitExpense(world, [{ ...receipt, restricted: true }], expense);
  expect(submitted.statusCode, submitted.body).toBe(201);
  await world.settle();
  return submitted;
}

/** A comment by `who` citing `attachments` on a new open proposal of A's: the proposal and the answer. */
async function commentCiting(world: World, who: PrincipalName, text: string, attachments: Ref[]) {
  const proposalId = await world.openBudgetProposal('repA');
  const commented = await world.request(who, 'POST', `/api/proposals/${proposalId}/comments`, {
    text,
    attachments,
  });
  return { proposalId, commented };
}

describe('attachments over HTTP', () => {
  let world: World;
  const upload = (who: PrincipalName, bytes: Buffer, type?: string) =>
    world.request(
      'repA' === who ? 'repA' : who,
      'POST',
      '/api/attachments',
      bytes,
      type ? { 'content-type': type } : {},
    );
  const download = (who: PrincipalName, sha256: string) =>
    world.request(who, 'GET', `/api/attachments/${sha256}`);
  const stored = async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from api.attachments`.execute(
      world.t.db,
    );
    return rows[0]?.n;
  };

  worldForSuite({ attachmentMaxBytes: MAX }, (created) => {
    world = created;
  });

  it('stores the bytes once and answers their reference; the uploader alone reads them until a record cites them', async () => {
    const bytes = pdf('round trip');
    const first = await upload('repA', bytes, 'application/pdf');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toEqual({ sha256: sha(bytes), mediaType: 'application/pdf', size: bytes.length });
    const again = await upload('repA', bytes, 'application/pdf; charset=binary');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());

    const read = await download('repA', sha(bytes));
    expect(read.statusCode).toBe(200);
    expect(read.rawPayload.equals(bytes)).toBe(true);
    expect(read.headers['content-type']).toBe('application/pdf');
    expect(read.headers['content-disposition']).toBe(`attachment; filename="${sha(bytes).slice(0, 12)}.pdf"`);
    expect(read.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(read.headers['x-content-type-options']).toBe('nosniff');
    expect(read.headers['cache-control']).toBe('private');
    // Nobody else, not even the facilitator: an uncited document is its uploader's.
    for (const who of ['repB', 'facilitator', 'auditor'] as const) {
      const refused = await download(who, sha(bytes));
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await download('anonymous', sha(bytes))).statusCode).toBe(401);
    // An unknown document is the same 404.
    expect((await download('repA', 'f'.repeat(64))).json().code).toBe('RESOURCE_NOT_FOUND');
    // Auditors upload nothing.
    expect((await upload('auditor', pdf('auditor'), 'application/pdf')).statusCode).toBe(403);
  });

  it('refuses a document over the limit with 413 problem+json and stores nothing', async () => {
    const before = await stored();
    const big = Buffer.concat([pdf('big'), Buffer.alloc(MAX)]);
    const refused = await upload('repA', big, 'application/pdf');
    expect(refused.statusCode).toBe(413);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE', details: { maxBytes: MAX } });
    // Announced too large: refused from the header, before the body is read.
    const announced = await world.app.inject({
      method: 'POST',
      url: '/api/attachments',
      cookies: await world.cookie('repA'),
      headers: { 'content-type': 'application/pdf', 'content-length': String(10 * MAX) },
      payload: Readable.from([pdf('announced')]),
    });
    expect(announced.statusCode).toBe(413);
    expect(announced.json().code).toBe('ATTACHMENT_TOO_LARGE');
    expect(await stored()).toBe(before);
  });

  it('bounds what one person uploads in a day (twenty documents of the largest size), storing nothing past it', async () => {
    const full = (n: number) => {
      const head = pdf(`allowance ${n}`);
      return Buffer.concat([head, Buffer.alloc(MAX - head.length, 0x20)]);
    };
    for (let n = 0; n < 20; n++) {
      const accepted = await upload('nonMember', full(n), 'application/pdf');
      expect(accepted.statusCode, `upload ${n}`).toBe(201);
    }
    const before = await stored();
    const refused = await upload('nonMember', full(20), 'application/pdf');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({
      code: 'ATTACHMENT_ALLOWANCE_USED',
      details: { bytesPerDay: 20 * MAX },
    });
    expect(await stored()).toBe(before);
    // Someone else's day is their own.
    expect((await upload('repB', full(21), 'application/pdf')).statusCode).toBe(201);
  });

  it('refuses other types, undeclared types and bytes that are not what they claim (415), and an empty body (400)', async () => {
    const before = await stored();
    const cases: [Buffer, string | undefined][] = [
      [Buffer.from('<html><script>alert(1)</script></html>'), 'text/html'],
      [Buffer.from('just text'), 'text/plain'],
      [pdf('undeclared'), undefined],
      [png, 'application/pdf'],
      [pdf('as png'), 'image/png'],
      [Buffer.from('{"a":1}'), 'application/json'],
      [Buffer.from('not a pdf at all'), 'application/pdf'],
    ];
    for (const [bytes, type] of cases) {
      const refused = await upload('repA', bytes, type);
      expect(refused.statusCode, `${type}: ${refused.body}`).toBe(415);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json().code).toBe('ATTACHMENT_TYPE_REFUSED');
    }
    const empty = await upload('repA', Buffer.alloc(0), 'application/pdf');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('ATTACHMENT_EMPTY');
    expect(await stored()).toBe(before);
    expect((await upload('repA', png, 'image/png')).statusCode).toBe(201);
  });

  it('refuses a command citing an unknown, misdescribed or not-yours document with 422, appending nothing', async () => {
    const mine = (await upload('repB', pdf('repB only'), 'application/pdf')).json() as Ref;
    const cases: Ref[] = [
      { sha256: 'e'.repeat(64), mediaType: 'application/pdf', size: 10 },
      { ...mine, size: mine.size + 1 },
      { ...mine, mediaType: 'image/png' },
      // Stored, but repB's and cited nowhere: repA cannot cite what they neither uploaded nor may read.
      mine,
    ];
    const head = await world.t.store.head();
    for (const ref of cases) {
      const refused = await submitExpense(world, [ref]);
      expect(refused.statusCode, refused.body).toBe(422);
      expect(refused.json()).toMatchObject({ code: 'ATTACHMENT_NOT_FOUND', details: { sha256: ref.sha256 } });
    }
    const extra = await submitExpense(world, [
      { ...mine, restricted: false, fileName: 'invoice-of-amal.pdf' },
    ]);
    expect(extra.statusCode).toBe(400);
    expect(await world.t.store.head()).toBe(head);
  });

  it("a restricted receipt is read by the submitting organization and the approving group's members, nobody else", async () => {
    const bytes = pdf('restricted receipt');
    const ref = (await upload('repA', bytes, 'application/pdf')).json() as Ref;
    const submitted = await expenseWithRestrictedReceipt(world, ref, {
      amount: 2_500,
      description: 'Interpreter',
      spentOn: '2025-03-03',
    });
    const { expenseId } = submitted.json().created as { expenseId: string };
    const expense = await world.request('auditor', 'GET', `/api/budgets/${BUDGET}/expenses/${expenseId}`);
    expect(expense.json().receipts).toEqual([{ ...ref, restricted: true }]);

    const approver = await download('groupMember', ref.sha256);
    expect(approver.statusCode).toBe(200);
    expect(approver.rawPayload.equals(bytes)).toBe(true);
    expect((await download('repA', ref.sha256)).statusCode).toBe(200);
    // Outside the approving group, and the staff: the same 404 as a document that does not exist.
    for (const who of ['repB', 'nonMember', 'recused', 'facilitator', 'auditor'] as const) {
      const refused = await download(who, ref.sha256);
      expect(refused.statusCode, who).toBe(404);
      expect(refused.json().code).toBe('RESOURCE_NOT_FOUND');
    }
  });

  it('an unrestricted document on a comment is read by everyone signed in', async () => {
    const bytes = pdf('comment attachment');
    const ref = (await upload('repB', bytes, 'application/pdf')).json() as Ref;
    const { commented } = await commentCiting(world, 'repB', 'The quote we got', [ref]);
    expect(commented.statusCode, commented.body).toBe(201);
    await world.settle();
    for (const who of ['repA', 'nonMember', 'facilitator', 'auditor'] as const) {
      expect((await download(who, ref.sha256)).statusCode, who).toBe(200);
    }
  });

  it('exports the events with the documents as a tar: each file hashes to its name; restricted ones only for their readers', async () => {
    const restricted = (await upload('repA', pdf('export restricted'), 'application/pdf')).json() as Ref;
    await expenseWithRestrictedReceipt(world, restricted, {
      amount: 1_200,
      description: 'Venue',
      spentOn: '2025-03-04',
    });

    const read = async (who: PrincipalName) => {
      const response = await world.request(who, 'GET', '/api/export?format=tar');
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      expect(response.headers['content-type']).toBe('application/x-tar');
      return readTar(response.rawPayload);
    };

    const approverFiles = await read('groupMember');
    const events = approverFiles.get('events.jsonl')?.toString() ?? '';
    expect(events).toContain(restricted.sha256);
    const documents = [...approverFiles.keys()].filter((name) => name.startsWith('attachments/'));
    expect(documents).toContain(`attachments/${restricted.sha256}`);
    for (const name of documents) {
      expect(sha(approverFiles.get(name) as Buffer)).toBe(name.slice('attachments/'.length));
    }
    const jsonl = await world.request('groupMember', 'GET', '/api/export?format=jsonl');
    expect(events).toBe(jsonl.body);

    const auditorFiles = await read('auditor');
    expect(auditorFiles.has(`attachments/${restricted.sha256}`)).toBe(false);
    expect(auditorFiles.get('attachments-withheld.txt')?.toString()).toContain(restricted.sha256);
    expect(auditorFiles.get('events.jsonl')?.toString()).toContain(restricted.sha256);
  });

  it('verification fails naming the citing event when a cited document is altered in the database', async () => {
    const clean = await world.request('auditor', 'GET', '/api/audit/verification');
    expect(clean.json()).toMatchObject({ ok: true, attachments: { ok: true, problemCount: 0 } });
    expect(clean.json().attachments.documents).toBeGreaterThan(0);

    const bytes = pdf('to be altered');
    const ref = (await upload('repA', bytes, 'application/pdf')).json() as Ref;
    const { proposalId, commented } = await commentCiting(world, 'repA', 'Attached', [ref]);
    expect(commented.statusCode).toBe(201);
    const position = commented.json().position as number;
    await sql`update api.attachments set bytes = ${Buffer.from(bytes.toString().replace('altered', 'ALTERED'))}
      where sha256 = ${ref.sha256}`.execute(world.t.db);

    const verified = await world.request('auditor', 'GET', '/api/audit/verification');
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({
      ok: false,
      firstBad: {
        problem: 'attachment_altered',
        streamId: `proposal-${proposalId}`,
        globalPosition: position,
      },
      attachments: {
        ok: false,
        problemCount: 1,
        problems: [{ sha256: ref.sha256, type: 'ProposalCommented' }],
      },
    });
    expect(verified.json().firstBad.detail).toContain(ref.sha256);

    await sql`delete from api.attachment_uploaders where sha256 = ${ref.sha256}`.execute(world.t.db);
    await sql`delete from api.attachments where sha256 = ${ref.sha256}`.execute(world.t.db);
    const missing = await world.request('auditor', 'GET', '/api/audit/verification');
    expect(missing.json()).toMatchObject({ ok: false, firstBad: { problem: 'attachment_missing' } });
  });
});

describe.skipIf(!postgresAvailable)('attachments on PostgreSQL, shared by two API instances', () => {
  let database: TestDatabase;
  let world: World;
  let second: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase('concord_attachments');
    world = await World.create({ database: openPostgres(database.url, 10) });
    // Another instance on the same database (no projector, no process steps of its own).
    second = await testApp({
      database: openPostgres(database.url, 5),
      eventStore: world.t.store,
      projector: false,
      processSteps: false,
    });
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await world?.close();
    await database?.drop();
  });

  it('a receipt uploaded to one instance is cited, read from the other by its readers only, and verified', async () => {
    const bytes = pdf('postgres receipt');
    const uploaded = await world.request('repA', 'POST', '/api/attachments', bytes, {
      'content-type': 'application/pdf',
    });
    expect(uploaded.statusCode).toBe(201);
    const ref = uploaded.json() as Ref;
    await expenseWithRestrictedReceipt(world, ref, {
      amount: 3_000,
      spentOn: '2025-03-05',
    });
    const readFromSecond = async (who: PrincipalName) =>
      second.app.inject({
        method: 'GET',
        url: `/api/attachments/${ref.sha256}`,
        cookies: await world.cookie(who),
      });
    const approver = await readFromSecond('groupMember');
    expect(approver.statusCode).toBe(200);
    expect(approver.rawPayload.equals(bytes)).toBe(true);
    expect((await readFromSecond('repB')).statusCode).toBe(404);

    expect((await world.request('auditor', 'GET', '/api/audit/verification')).json()).toMatchObject({
      ok: true,
      attachments: { ok: true, documents: 1 },
    });
    await sql`update api.attachments set bytes = ${Buffer.from('%PDF-1.4\n%%EOF\n')} where sha256 = ${ref.sha256}`.execute(
      world.t.db,
    );
    expect((await world.request('auditor', 'GET', '/api/audit/verification')).json()).toMatchObject({
      ok: false,
      firstBad: { problem: 'attachment_altered' },
    });
  });
});
