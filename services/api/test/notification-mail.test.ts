import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmtpMailer } from '../src/mail.ts';
import { type LoopbackSmtp, loopbackSmtp, type ReceivedMail } from './support/smtp.ts';
import { type PrincipalName, World } from './support/world.ts';

const PUBLIC_URL = 'https://concord.example.org';
const REPS: PrincipalName[] = ['repA', 'repB', 'recused', 'groupMember', 'nonMember'];

/** Headers unfolded, quoted-printable bodies decoded (enough to read what nodemailer wrote). */
function readable(raw: string): string {
  const unfolded = raw
    .replace(/\r?\n[ \t]+/g, ' ')
    // Encoded words of headers (RFC 2047, Q encoding): underscores are spaces.
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, text: string) => text.replace(/_/g, ' '));
  const bytes = unfolded
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The text/calendar part of a raw mail (nodemailer's `icalEvent`), decoded, lines unfolded. */
function calendarPart(raw: string): string {
  const part = raw.split(/\r?\n--/).find((chunk) => /Content-Type: text\/calendar/i.test(chunk));
  if (!part) return '';
  const [head = '', ...body] = part.split(/\r?\n\r?\n/);
  const content = body.join('\n\n');
  const text = /Content-Transfer-Encoding: base64/i.test(head)
    ? Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8')
    : content;
  return text.replace(/\r?\n[ \t]/g, '');
}

/** A server clock the test moves (deadlines, digests, retries): never a sleep. */
function testClock() {
  let now = Date.now();
  return {
    clock: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
    set: (at: Date) => {
      now = at.getTime();
    },
  };
}

async function waitForNotifications(world: World): Promise<void> {
  await world.settle();
  await world.app.notifications.processor.waitFor(await world.app.eventStore.head());
}

function mailsTo(smtp: { received: ReceivedMail[] }, email: string): string[] {
  return smtp.received.filter((mail) => mail.to.includes(email)).map((mail) => readable(mail.raw));
}

describe('notification mails through the outbox, on a real SMTP server', () => {
  let world: World;
  let smtp: LoopbackSmtp;
  const time = testClock();

  beforeAll(async () => {
    smtp = await loopbackSmtp();
    world = await World.create({
      mailer: new SmtpMailer(smtp.url, 'Concord <concord@example.org>'),
      publicUrl: PUBLIC_URL,
      clock: time.clock,
      notifications: { intervalMs: 3_600_000 },
    });
  });
  afterAll(async () => {
    await world?.close();
    await smtp?.close();
  });

  const email = (name: PrincipalName) => world.people.get(name)!.email;
  /** Changes `name`'s notification settings; the status of the answer. */
  const changeSettings = async (name: PrincipalName, change: Record<string, unknown>) =>
    (await world.request(name, 'PUT', '/api/notification-settings', change)).statusCode;

  it('a command ends as one mail per representative, in their language, with links and RFC 8058 headers', async () => {
    const changed = await world.request('repB', 'PUT', '/api/notification-settings', { language: 'es' });
    expect(changed.statusCode).toBe(200);
    const proposalId = await world.openBudgetProposal('repA');
    await waitForNotifications(world);
    await smtp.delivered(5);
    await world.app.mailOutbox.idle();
    for (const name of REPS) expect(mailsTo(smtp, email(name)), name).toHaveLength(1);

    const spanish = mailsTo(smtp, email('repB'))[0] ?? '';
    expect(spanish).toContain('Una propuesta espera la postura de su organización');
    expect(spanish).toContain(`${PUBLIC_URL}/proposals/${proposalId}`);
    expect(spanish).toContain(`${PUBLIC_URL}/account/notifications`);
    expect(spanish).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const unsubscribe = spanish.match(/^List-Unsubscribe: <(https:\/\/[^>]+)>$/m)?.[1];
    expect(unsubscribe).toMatch(/^https:\/\/concord\.example\.org\/api\/notifications\/unsubscribe\?token=/);
    // The link in the text opens the portal's page for the same token (its button posts it).
    const text = spanish
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    expect(text).toContain(`${PUBLIC_URL}/unsubscribe?token=${unsubscribe?.split('token=')[1]}`);
    // Plain text first, then the light HTML part.
    expect(spanish.indexOf('Content-Type: text/plain')).toBeGreaterThan(-1);
    expect(spanish.indexOf('Content-Type: text/plain')).toBeLessThan(
      spanish.indexOf('Content-Type: text/html'),
    );
    const english = mailsTo(smtp, email('repA'))[0] ?? '';
    expect(english).toContain("A proposal is open for your organization's stance");

    // One click, no session: that kind is off for that person, and nobody else's choice changes.
    const clicked = await world.app.inject({
      method: 'POST',
      url: unsubscribe!.slice(PUBLIC_URL.length),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(clicked.statusCode, clicked.body).toBe(204);
    const settings = (await world.request('repB', 'GET', '/api/notification-settings')).json();
    expect(settings.deliveries.proposalOpened).toBe('off');
    expect(settings.deliveries.decisionTaken).toBe('immediately');
    expect(
      (await world.request('repA', 'GET', '/api/notification-settings')).json().deliveries.proposalOpened,
    ).toBe('immediately');
    // A changed token is refused.
    const forged = await world.app.inject({
      method: 'POST',
      url: `${unsubscribe!.slice(PUBLIC_URL.length).slice(0, -2)}xx`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(forged.statusCode).toBe(400);

    const second = await world.openBudgetProposal('repA');
    await waitForNotifications(world);
    await smtp.delivered(9);
    await world.app.mailOutbox.idle();
    expect(mailsTo(smtp, email('repB'))).toHaveLength(1);
    // Still listed in the portal.
    const listed = (await world.request('repB', 'GET', '/api/notifications')).json();
    expect(
      listed.notifications.some((n: { subject: { proposalId: string } }) => n.subject.proposalId === second),
    ).toBe(true);
  });

  it('tells organizations without a stance 48 h and 24 h before the window closes, once each, from the clock', async () => {
    expect(await changeSettings('repA', { timeZone: 'Africa/Kampala' })).toBe(200);
    const proposalId = await world.openBudgetProposal('repA');
    await world.stance('repB', proposalId);
    await waitForNotifications(world);
    const endsAt = Date.parse(
      (await world.request('repA', 'GET', `/api/proposals/${proposalId}`)).json().feedbackEndsAt,
    );
    const closing = async (name: PrincipalName) =>
      (await world.request(name, 'GET', '/api/notifications?limit=200'))
        .json()
        .notifications.filter(
          (n: { kind: string; subject: { proposalId: string } }) =>
            n.subject.proposalId === proposalId && n.kind.startsWith('feedbackClosing'),
        )
        .map((n: { kind: string }) => n.kind)
        .sort();
    time.set(new Date(endsAt - 60 * 3_600_000));
    await world.app.notifications.tick();
    expect(await closing('repA')).toEqual([]);
    time.set(new Date(endsAt - 47 * 3_600_000));
    await world.app.notifications.tick();
    await world.app.notifications.tick();
    expect(await closing('repA')).toEqual(['feedbackClosing48h']);
    time.set(new Date(endsAt - 23 * 3_600_000));
    await world.app.notifications.tick();
    await world.app.notifications.tick();
    expect(await closing('repA')).toEqual(['feedbackClosing24h', 'feedbackClosing48h']);
    expect(await closing('nonMember')).toEqual(['feedbackClosing24h', 'feedbackClosing48h']);
    // B took its stance; R is recused from a change to its own line.
    expect(await closing('repB')).toEqual([]);
    expect(await closing('recused')).toEqual([]);

    // The mails: A's in Kampala time (UTC+3 all year), the zone named; each carries its deadline as .ics.
    await world.app.mailOutbox.idle();
    const deadlineMails = mailsTo(smtp, email('repA')).filter(
      (mail) => mail.includes(`/proposals/${proposalId}`) && /closes in (24|48) hours/.test(mail),
    );
    expect(deadlineMails).toHaveLength(2);
    const kampala = new Date(endsAt + 3 * 3_600_000);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];
    const two = (n: number) => String(n).padStart(2, '0');
    const expected = `${kampala.getUTCDate()} ${months[kampala.getUTCMonth()]} ${kampala.getUTCFullYear()}, ${two(kampala.getUTCHours())}:${two(kampala.getUTCMinutes())} (Africa/Kampala)`;
    for (const mail of deadlineMails) {
      expect(mail).toContain(`Feedback closes: ${expected}`);
      const ics = calendarPart(mail);
      expect(ics).toContain('METHOD:PUBLISH');
      expect(ics).toContain(`UID:feedbackEnds-${proposalId}@concord.example.org`);
      expect(ics).toContain(
        `DTSTART:${new Date(endsAt)
          .toISOString()
          .replace(/[-:]/g, '')
          .replace(/\.\d{3}/, '')}`,
      );
      expect(ics).toContain(`URL;VALUE=URI:${PUBLIC_URL}/proposals/${proposalId}`);
    }
    time.set(new Date());
  });

  it("a facilitator's reminder mails exactly the undecided organizations' representatives, in their language, once a day", async () => {
    expect(await changeSettings('groupMember', { language: 'fr' })).toBe(200);
    const proposalId = await world.openBudgetProposal('repA');
    await world.stance('repB', proposalId);
    await waitForNotifications(world);
    const reminders = (name: PrincipalName) =>
      mailsTo(smtp, email(name)).filter(
        (mail) =>
          mail.includes(`/proposals/${proposalId}`) && /Reminder|Rappel|Recordatorio|تذكير/.test(mail),
      );
    await world.app.mailOutbox.idle();
    const reminded = await world.request('facilitator', 'POST', `/api/proposals/${proposalId}/reminders`, {});
    expect(reminded.statusCode, reminded.body).toBe(201);
    await waitForNotifications(world);
    // A, the working group's member and the non-member have no stance; B has one; R is recused.
    await world.app.mailOutbox.idle();
    expect(reminders('repA')).toHaveLength(1);
    expect(reminders('repA')[0]).toContain('Reminder: your organization has not taken a stance on');
    expect(reminders('groupMember')[0]).toContain('Rappel : votre organisation n’a pas encore pris position');
    expect(reminders('nonMember')).toHaveLength(1);
    expect(reminders('repB')).toEqual([]);
    expect(reminders('recused')).toEqual([]);

    // Again within the day: refused with its code, nothing recorded, nobody mailed.
    time.advance(23 * 3_600_000);
    const again = await world.request('facilitator', 'POST', `/api/proposals/${proposalId}/reminders`, {});
    expect(again.statusCode).toBe(429);
    expect(again.json()).toMatchObject({ code: 'REMINDED_RECENTLY' });
    const byRep = await world.request('repA', 'POST', `/api/proposals/${proposalId}/reminders`, {});
    expect(byRep.statusCode).toBe(403);
    await waitForNotifications(world);
    await world.app.mailOutbox.idle();
    expect(reminders('repA')).toHaveLength(1);
    time.set(new Date());
  });

  it('sends a daily digest at the hour the person chose, in their time zone, once a day', async () => {
    const changed = await world.request('nonMember', 'PUT', '/api/notification-settings', {
      language: 'fr',
      timeZone: 'Asia/Kuala_Lumpur',
      digestHour: 9,
      deliveries: { proposalOpened: 'digest', decisionTaken: 'digest' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await changeSettings('nonMember', { timeZone: 'Mars/Olympus' })).toBe(400);
    // 08:30 in Kuala Lumpur (UTC+8).
    time.set(new Date('2026-12-04T00:30:00Z'));
    const first = await world.openBudgetProposal('repA');
    const second = await world.openBudgetProposal('repB');
    await waitForNotifications(world);
    const about = () =>
      mailsTo(smtp, email('nonMember')).filter(
        (mail) => mail.includes(`/proposals/${first}`) || mail.includes(`/proposals/${second}`),
      );
    await world.app.notifications.tick();
    await world.app.mailOutbox.idle();
    expect(about()).toEqual([]);
    // 09:05 there: the digest goes, with both; a second pass that day sends nothing more.
    time.set(new Date('2026-12-04T01:05:00Z'));
    await world.app.notifications.tick();
    await world.app.mailOutbox.idle();
    await world.app.notifications.tick();
    await world.app.mailOutbox.idle();
    expect(about()).toHaveLength(1);
    const digest = about()[0]!;
    expect(digest).toMatch(/^Subject: Votre résumé Concord$/m);
    expect(digest).toContain(`${PUBLIC_URL}/proposals/${first}`);
    expect(digest).toContain(`${PUBLIC_URL}/proposals/${second}`);
    expect(digest).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    // Others still got theirs at once.
    expect(mailsTo(smtp, email('groupMember')).some((mail) => mail.includes(`/proposals/${first}`))).toBe(
      true,
    );
    time.set(new Date());
  });
});
