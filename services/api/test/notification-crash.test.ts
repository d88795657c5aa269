import { describe, expect, it } from 'vitest';
import { SmtpMailer } from '../src/mail.ts';
import { buildServer } from '../src/server.ts';
import { loopbackSmtp, type ReceivedMail } from './support/smtp.ts';
import { type PrincipalName, testPasswordCost, World } from './support/world.ts';

const PUBLIC_URL = 'https://concord.example.org';
const FROM = 'Concord <concord@example.org>';
const REPS: PrincipalName[] = ['repA', 'repB', 'recused', 'groupMember', 'nonMember'];

/** Which proposal a mail is about, read from its link (quoted-printable soft breaks removed). */
function proposalOf(mail: ReceivedMail): string | null {
  return mail.raw.replace(/=\r?\n/g, '').match(/\/proposals\/([A-Za-z0-9_-]+)/)?.[1] ?? null;
}

describe('nothing lost, nothing doubled', () => {
  it('the processor killed mid-batch and the SMTP server killed mid-send, then both restarted: every expected mail arrives exactly once', async () => {
    let now = Date.now();
    const clock = () => new Date(now);
    // Slow answers: when the server dies, a mail is in the middle of being sent.
    const first = await loopbackSmtp(100);
    const port = Number(new URL(first.url).port);
    let commits = 0;
    let killAfter = Number.POSITIVE_INFINITY;
    let killed!: () => void;
    const processorKilled = new Promise<void>((resolve) => {
      killed = resolve;
    });
    const world = await World.create({
      mailer: new SmtpMailer(first.url, FROM),
      publicUrl: PUBLIC_URL,
      clock,
      notifications: {
        intervalMs: 3_600_000,
        processor: {
          batchSize: 3,
          beforeCommit: async () => {
            if (++commits > killAfter) {
              killed();
              throw new Error('killed mid-batch');
            }
          },
        },
      },
    });
    const { store, db } = world.t;
    const emails = new Map(REPS.map((name) => [world.people.get(name)!.email, name]));
    await world.app.notifications.processor.waitFor(await store.head());
    await world.app.mailOutbox.idle();
    expect(first.received).toEqual([]);

    // One more batch commits (at most three of the six or more events to come), then the processor dies
    // inside the next (its transaction rolls back).
    killAfter = commits + 1;
    const proposals: string[] = [];
    for (let index = 0; index < 3; index++) proposals.push(await world.openBudgetProposal('repA'));
    await processorKilled;
    const head = await store.head();
    await world.app.close();
    const checkpoint = await db
      .selectFrom('api.checkpoints' as never)
      .select('position' as never)
      .where('name' as never, '=', 'notifications' as never)
      .executeTakeFirstOrThrow();
    expect(Number((checkpoint as { position: string }).position)).toBeLessThan(head);

    // Restarted: the processor resumes from its checkpoint; the SMTP server dies after two mails.
    const restart = () =>
      buildServer({
        store,
        db,
        logger: false,
        clock,
        publicUrl: PUBLIC_URL,
        mailer: new SmtpMailer(first.url, FROM),
        passwordCost: testPasswordCost,
        schedulerIntervalMs: 3_600_000,
        notifications: { intervalMs: 3_600_000 },
      });
    const second = await restart();
    const smtpDied = first.delivered(2).then(() => first.kill());
    await second.ready();
    await second.notifications.processor.waitFor(head);
    await smtpDied;
    await second.mailOutbox.idle();
    const failed = await second.inject({
      method: 'GET',
      url: '/api/mail/status',
      cookies: await facilitatorCookie(second, world),
    });
    expect(failed.json()).toMatchObject({ mail: true });
    expect(failed.json().failing).toBeGreaterThan(0);
    expect(failed.json().lastError).toBeTruthy();
    const metrics = await second.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/concord_mail_failures_total\{kind="notification"\} [1-9]/);
    await second.close();

    // Everything back: the SMTP server on the same port, the API again, the retry's time come.
    const revived = await loopbackSmtp(0, port);
    now += 10 * 60_000;
    const third = await restart();
    await third.ready();
    await revived.delivered(15 - first.received.length);
    await third.notifications.processor.waitFor(await store.head());
    await third.mailOutbox.idle();

    const received = [...first.received, ...revived.received];
    const count = new Map<string, number>();
    for (const mail of received) {
      const key = `${emails.get(mail.to[0]!)} ${proposalOf(mail)}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    const expected = proposals.flatMap((proposalId) => REPS.map((name) => `${name} ${proposalId}`)).sort();
    expect([...count.keys()].sort()).toEqual(expected);
    expect([...count.values()].every((times) => times === 1)).toBe(true);
    expect(received).toHaveLength(15);
    const status = await third.inject({
      method: 'GET',
      url: '/api/mail/status',
      cookies: await facilitatorCookie(third, world),
    });
    expect(status.json()).toMatchObject({ waiting: 0, failing: 0, uncertain: 0, sent: 15 });

    await third.close();
    await revived.close();
    await store.close();
    await db.destroy();
  });

  it('a send cut by a crash of the sender is not repeated (at most once) and is shown to the facilitator', async () => {
    let now = Date.now();
    const smtp = await loopbackSmtp();
    const world = await World.create({
      mailer: new SmtpMailer(smtp.url, FROM),
      clock: () => new Date(now),
      notifications: { intervalMs: 3_600_000 },
    });
    const proposalId = await world.openBudgetProposal('repA');
    await world.settle();
    await world.app.notifications.processor.waitFor(await world.t.store.head());
    await world.app.mailOutbox.idle();
    expect(smtp.received).toHaveLength(5);
    // A row claimed by a sender that then died (its lease is over, no result was written).
    const personId = world.people.get('repB')!.personId;
    await world.t.db
      .insertInto('api.mail_outbox' as never)
      .values({
        kind: 'notification',
        recipient: personId,
        cause: `crashed:${proposalId}`,
        created_at: new Date(now - 600_000),
        attempts: 1,
        next_attempt_at: new Date(now - 600_000),
        claimed_until: new Date(now - 300_000),
      } as never)
      .execute();
    now += 1000;
    world.app.mailOutbox.wake();
    await world.app.mailOutbox.idle();
    expect(smtp.received).toHaveLength(5);
    const status = await world.request('facilitator', 'GET', '/api/mail/status');
    expect(status.json()).toMatchObject({ uncertain: 1, sent: 5, waiting: 0 });
    await world.close();
    await smtp.close();
  });
});

describe('a first start on an existing history', () => {
  it('folds the history without telling anyone of it, then tells what happens next (a restored backup, an upgrade)', async () => {
    const smtp = await loopbackSmtp();
    const world = await World.create({
      mailer: new SmtpMailer(smtp.url, FROM),
      notifications: { intervalMs: 3_600_000 },
    });
    const { store, db } = world.t;
    const old = await world.openBudgetProposal('repA');
    await world.settle();
    await world.app.notifications.processor.waitFor(await store.head());
    await world.app.mailOutbox.idle();
    await world.app.close();
    // What a restore leaves: the events and the accounts, none of the API's notification tables.
    for (const table of [
      'api.notifications',
      'api.notify_representatives',
      'api.notify_proposals',
      'api.notify_stances',
      'api.notify_questions',
      'api.notify_partner_contacts',
      'api.notify_partnership_actions',
      'api.mail_outbox',
    ]) {
      await db.deleteFrom(table as never).execute();
    }
    await db
      .deleteFrom('api.checkpoints' as never)
      .where('name' as never, 'like', 'notifications%' as never)
      .execute();
    const mailed = smtp.received.length;

    const app = await buildServer({
      store,
      db,
      logger: false,
      mailer: new SmtpMailer(smtp.url, FROM),
      passwordCost: testPasswordCost,
      schedulerIntervalMs: 3_600_000,
      notifications: { intervalMs: 3_600_000 },
    });
    await app.ready();
    await app.notifications.processor.waitFor(await store.head());
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('api.notifications' as never)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count()).toBe(0);
    // The fold is whole: the next proposal reaches every representative.
    const proposalId = world.id('proposal');
    const repA = world.actor('repA');
    const outcome = await app.commandBus.execute(
      {
        type: 'DraftProposal',
        actor: repA,
        now: new Date().toISOString(),
        proposalId,
        title: 'After the restore',
        body: 'B',
        payload: {
          kind: 'charterChange',
          rules: null,
          sharedValues: null,
          adoptSops: [{ sopId: world.id('sop'), title: 'M', text: 'T' }],
          retireSopIds: [],
        },
      } as never,
      { commandId: crypto.randomUUID(), correlationId: crypto.randomUUID() },
    );
    expect(outcome.ok).toBe(true);
    await app.commandBus.execute(
      {
        type: 'OpenProposal',
        actor: repA,
        now: new Date().toISOString(),
        proposalId,
        urgentReason: null,
      } as never,
      { commandId: crypto.randomUUID(), correlationId: crypto.randomUUID() },
    );
    await app.notifications.processor.waitFor(await store.head());
    expect(await count()).toBe(5);
    await smtp.delivered(mailed + 5);
    await app.mailOutbox.idle();
    expect(smtp.received.slice(mailed).every((mail) => proposalOf(mail) === proposalId)).toBe(true);
    expect(proposalOf(smtp.received[0]!)).toBe(old);
    await app.close();
    await store.close();
    await db.destroy();
    await smtp.close();
  });
});

/** A facilitator's session cookie on another server over the same database. */
async function facilitatorCookie(app: Awaited<ReturnType<typeof buildServer>>, world: World) {
  const { token } = await app.auth.createSession(world.people.get('facilitator')!.personId, 'test');
  return { concord_session: token };
}
