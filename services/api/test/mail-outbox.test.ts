import { afterEach, describe, expect, it } from 'vitest';
import type { ApiDb } from '../src/db.ts';
import { SmtpMailer } from '../src/mail.ts';
import { type ComposeRow, MailOutbox } from '../src/mail-outbox.ts';
import { queueKeyedMails } from '../src/notifications/queue.ts';
import type { NotifyDb } from '../src/notifications/table.ts';
import { type LoopbackSmtp, loopbackSmtp } from './support/smtp.ts';
import { type TestApp, testApp } from './support/world.ts';

const FROM = 'Concord <concord@example.org>';

/** Keyed rows, queued as notifications queue them. */
async function queue(db: ApiDb, count: number, now: Date): Promise<void> {
  const mails = Array.from({ length: count }, (_, index) => ({
    personId: `person-${index}`,
    cause: `test:${index}`,
  }));
  await (db as NotifyDb).transaction().execute((trx) => queueKeyedMails(trx, 'notification', mails, now));
}

/** A mail per row, its Message-ID fixed by the row's cause (so a repeat is recognisable). */
const mailOf = (row: ComposeRow) => ({
  to: `${row.recipient}@example.org`,
  subject: `About ${row.cause}`,
  text: 'Hello',
  link: 'https://concord.example.org/',
  messageId: `<${row.cause?.replace(':', '-')}@concord.example.org>`,
});

const messageIds = (smtp: LoopbackSmtp) =>
  smtp.received.map((mail) => mail.raw.match(/^Message-ID: *(<[^>]+>)/im)?.[1] ?? '');

describe('the mail outbox, pipelined', () => {
  let t: TestApp | undefined;
  let smtp: LoopbackSmtp | undefined;
  const senders: MailOutbox[] = [];
  const mailers: SmtpMailer[] = [];
  afterEach(async () => {
    for (const sender of senders.splice(0)) await sender.stop();
    // Pooled connections left open would hold the SMTP server's close until its timeout.
    for (const mailer of mailers.splice(0)) mailer.close();
    await t?.close();
    await smtp?.close();
  });

  /** A server whose own sender is stopped: the table is drained only by the senders a test makes. */
  async function setUp(delayMs: number) {
    smtp = await loopbackSmtp(delayMs);
    t = await testApp();
    await t.app.mailOutbox.stop();
    const db = t.app.apiDb;
    const sender = (batches: number[]) => {
      const mailer = new SmtpMailer(`${smtp!.url}?pool=true&maxConnections=4`, FROM);
      mailers.push(mailer);
      const outbox = new MailOutbox({
        db,
        mailer,
        logger: t!.app.log,
        clock: () => new Date(),
        batchSize: 7,
        maxInFlight: 21,
      });
      outbox.registerBatch('notification', async (rows) => {
        batches.push(rows.length);
        return rows.map(mailOf);
      });
      senders.push(outbox);
      return outbox;
    };
    return { db, sender };
  }

  it('two senders on one table, each claiming while earlier batches are still being sent, send every row exactly once', async () => {
    const { db, sender } = await setUp(5);
    await queue(db, 100, new Date());
    const batchesA: number[] = [];
    const batchesB: number[] = [];
    const a = sender(batchesA);
    const b = sender(batchesB);
    a.start();
    b.start();
    await Promise.all([a.idle(), b.idle()]);

    const ids = messageIds(smtp!);
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
    // Composed a batch at a time (at most `batchSize` rows per call), every row once between the two.
    expect([...batchesA, ...batchesB].every((size) => size <= 7)).toBe(true);
    expect([...batchesA, ...batchesB].reduce((sum, size) => sum + size, 0)).toBe(100);
    const rows = await db
      .selectFrom('api.mail_outbox')
      .select(['sent_at', 'claimed_until', 'attempts'])
      .execute();
    expect(rows).toHaveLength(100);
    expect(
      rows.every((row) => row.sent_at !== null && row.claimed_until === null && row.attempts === 1),
    ).toBe(true);
  });

  it('a row whose mail cannot be made fails alone, to be retried; the rest of its batch is sent', async () => {
    const { db } = await setUp(0);
    await queue(db, 5, new Date());
    const outbox = new MailOutbox({
      db,
      mailer: new SmtpMailer(smtp!.url, FROM),
      logger: t!.app.log,
      clock: () => new Date(),
    });
    outbox.registerBatch('notification', async (rows) =>
      rows.map((row) => (row.cause === 'test:2' ? new Error('cannot be made') : mailOf(row))),
    );
    senders.push(outbox);
    outbox.start();
    await outbox.idle();

    expect(messageIds(smtp!).sort()).toEqual([
      '<test-0@concord.example.org>',
      '<test-1@concord.example.org>',
      '<test-3@concord.example.org>',
      '<test-4@concord.example.org>',
    ]);
    const failed = await db
      .selectFrom('api.mail_outbox')
      .selectAll()
      .where('cause', '=', 'test:2')
      .executeTakeFirstOrThrow();
    expect(failed.sent_at).toBeNull();
    expect(failed.last_error).toBe('cannot be made');
    expect(new Date(failed.next_attempt_at).getTime()).toBeGreaterThan(Date.now());
  });
});
