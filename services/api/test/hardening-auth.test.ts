import { problemSchema } from '@concord/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_HEADER, FORWARDING_HEADER } from '../src/auth/client-address.ts';
import { loadConfig } from '../src/config.ts';
import { SmtpMailer } from '../src/mail.ts';
import { loopbackSmtp } from './support/smtp.ts';
import { forSuite } from './support/suite.ts';
import { requestPasswordReset, type TestApp, testApp } from './support/world.ts';

const PASSWORD = 'correct horse battery';

/** A server whose clock the test moves, with small limits. */
async function limitedApp(options: Parameters<typeof testApp>[0] = {}) {
  let now = Date.parse('2026-12-02T09:00:00Z');
  const t = await testApp({
    clock: () => new Date(now),
    signInLimits: {
      perAccount: { max: 3, windowMs: 900_000, lockMs: 60_000, maxLockMs: 3_600_000 },
      perClient: { max: 5, windowMs: 900_000, lockMs: 60_000, maxLockMs: 3_600_000 },
    },
    resetLimits: {
      perEmail: { max: 3, windowMs: 3_600_000 },
      perClient: { max: 6, windowMs: 3_600_000 },
    },
    ...options,
  });
  return {
    t,
    close: () => t.close(),
    advance(ms: number) {
      now += ms;
    },
    async person(email: string) {
      await t.app.auth.createPerson({ email, name: email.split('@')[0]!, password: PASSWORD });
      return email;
    },
    signIn(email: string, password: string, remoteAddress = '127.0.0.1', headers = {}) {
      return t.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        remoteAddress,
        headers,
        payload: { email, password },
      });
    },
    reset(email: string, remoteAddress = '127.0.0.1') {
      return requestPasswordReset(t.app, email, remoteAddress);
    },
  };
}

function lockout(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(response.statusCode).toBe(429);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(response.json());
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  return { problem, retryAfter };
}

describe('sign-in limits: per account across addresses, per address across accounts', () => {
  let s: Awaited<ReturnType<typeof limitedApp>>;
  forSuite(limitedApp, (made) => {
    s = made;
  });

  it('locks an account guessed from many addresses, with Retry-After and a growing back-off', async () => {
    const email = await s.person('target@example.org');
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await s.signIn(email, `guess ${attempt}`, `10.1.0.${attempt}`)).statusCode).toBe(401);
    }
    const { problem, retryAfter } = lockout(await s.signIn(email, 'guess 4', '10.1.0.4'));
    expect(problem.code).toBe('SIGN_IN_LOCKED');
    expect(problem.details).toMatchObject({ scope: 'account' });
    expect(retryAfter).toBe(60);
    // Even the right password waits: the lock does not tell a right guess from a wrong one.
    expect((await s.signIn(email, PASSWORD, '10.1.0.5')).statusCode).toBe(429);
    // Someone else from the same addresses is not locked.
    const other = await s.person('colleague@example.org');
    expect((await s.signIn(other, PASSWORD, '10.1.0.1')).statusCode).toBe(200);

    s.advance(61_000);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await s.signIn(email, `again ${attempt}`, `10.2.0.${attempt}`)).statusCode).toBe(401);
    }
    const second = lockout(await s.signIn(email, 'again 4', '10.2.0.9'));
    expect(second.retryAfter).toBe(120);
    s.advance(121_000);
    expect((await s.signIn(email, PASSWORD, '10.3.0.1')).statusCode).toBe(200);
  });

  it('locks an address that sprays one password over many accounts', async () => {
    const emails = [];
    for (let index = 0; index < 7; index++) emails.push(await s.person(`spray${index}@example.org`));
    for (const email of emails.slice(0, 5)) {
      expect((await s.signIn(email, 'Summer2026!', '192.0.2.7')).statusCode).toBe(401);
    }
    const { problem } = lockout(await s.signIn(emails[5]!, 'Summer2026!', '192.0.2.7'));
    expect(problem.code).toBe('SIGN_IN_LOCKED');
    expect(problem.details).toMatchObject({ scope: 'address' });
    // The accounts themselves are not locked: their owners sign in from elsewhere.
    expect((await s.signIn(emails[6]!, PASSWORD, '192.0.2.8')).statusCode).toBe(200);
    // Unknown addresses count the same as known ones (the limit reveals no account).
    const unknown = await s.signIn('nobody@example.org', 'Summer2026!', '192.0.2.7');
    expect(unknown.statusCode).toBe(429);
  });

  it('counts one IPv6 /64 as one address', async () => {
    const email = await s.person('v6@example.org');
    for (let index = 0; index < 5; index++) {
      const other = await s.person(`v6-${index}@example.org`);
      expect((await s.signIn(other, 'wrong password', `2001:db8:1:2::${index + 1}`)).statusCode).toBe(401);
    }
    expect((await s.signIn(email, 'wrong password', '2001:db8:1:2:ffff::1')).statusCode).toBe(429);
  });
});

describe('the client address: X-Forwarded-For is believed only from a configured proxy', () => {
  let s: Awaited<ReturnType<typeof limitedApp>>;
  forSuite(limitedApp, (made) => {
    s = made;
  });

  it('TRUST_PROXY is off unless configured', () => {
    expect(loadConfig({}, []).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }, []).trustProxy).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8,127.0.0.1' }, []).trustProxy).toBe('10.0.0.0/8,127.0.0.1');
  });

  it('a spoofed X-Forwarded-For from loopback does not escape the per-address limit', async () => {
    for (let index = 0; index < 5; index++) {
      const response = await s.signIn(`spoof${index}@example.org`, 'a guess', '127.0.0.1', {
        'x-forwarded-for': `203.0.113.${index}`,
      });
      expect(response.statusCode).toBe(401);
    }
    const spoofed = await s.signIn('spoof9@example.org', 'a guess', '127.0.0.1', {
      'x-forwarded-for': '203.0.113.99',
    });
    expect(spoofed.statusCode).toBe(429);
  });

  it("believes the mounted portal's forwarded address only with this process's secret", async () => {
    const secret = s.t.app.portalForwarding.secret;
    expect(secret.length).toBeGreaterThanOrEqual(40);
    for (let index = 0; index < 8; index++) {
      const response = await s.signIn(`portal${index}@example.org`, 'a guess', '127.0.0.2', {
        [FORWARDING_HEADER]: secret,
        [CLIENT_HEADER]: `198.51.100.${index}`,
      });
      expect(response.statusCode).toBe(401);
    }
    // A wrong secret (or none) counts against the connection's own address.
    for (let index = 0; index < 5; index++) {
      await s.signIn(`guess${index}@example.org`, 'a guess', '127.0.0.3', {
        [FORWARDING_HEADER]: `${secret.slice(0, -1)}x`,
        [CLIENT_HEADER]: `198.51.100.${index}`,
      });
    }
    const wrong = await s.signIn('guess9@example.org', 'a guess', '127.0.0.3', {
      [FORWARDING_HEADER]: 'not the secret',
      [CLIENT_HEADER]: '198.51.100.200',
    });
    expect(wrong.statusCode).toBe(429);
    // The per-process secret differs between two servers.
    const other = await testApp();
    try {
      expect(other.app.portalForwarding.secret).not.toBe(secret);
    } finally {
      await other.close();
    }
  });
});

describe('password reset: nothing to probe, nothing to flood, one live link', () => {
  let s: Awaited<ReturnType<typeof limitedApp>>;
  forSuite(limitedApp, (made) => {
    s = made;
  });

  const complete = (token: string, password = 'a brand new password') =>
    s.t.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/complete',
      payload: { token, password },
    });

  it('voids every older link when a new one is issued or one is used', async () => {
    const email = await s.person('links@example.org');
    expect((await s.reset(email, '10.9.0.1')).statusCode).toBe(202);
    await s.t.app.mailOutbox.idle();
    const first = s.t.mailer.lastToken(email);
    expect((await s.reset(email, '10.9.0.1')).statusCode).toBe(202);
    await s.t.app.mailOutbox.idle();
    const second = s.t.mailer.lastToken(email);
    expect(second).not.toBe(first);
    expect((await complete(second)).statusCode).toBe(204);
    const older = await complete(first, 'an attacker password');
    expect(older.statusCode).toBe(400);
    expect(older.json().code).toBe('TOKEN_INVALID');
    expect((await complete(second, 'once more password')).statusCode).toBe(400);
    const signIn = await s.signIn(email, 'a brand new password', '10.9.0.2');
    expect(signIn.statusCode).toBe(200);
  });

  it('limits requests per address, known or not, with the same answers', async () => {
    const known = await s.person('flood@example.org');
    const statuses = async (email: string, from: string) => {
      const answers = [];
      for (let index = 0; index < 5; index++) answers.push((await s.reset(email, from)).statusCode);
      return answers;
    };
    const forKnown = await statuses(known, '10.8.0.1');
    const forUnknown = await statuses('ghost@example.org', '10.8.0.2');
    expect(forKnown).toEqual([202, 202, 202, 429, 429]);
    expect(forUnknown).toEqual(forKnown);
    const limited = lockout(await s.reset(known, '10.8.0.3'));
    expect(limited.problem.code).toBe('RATE_LIMITED');
    await s.t.app.mailOutbox.idle();
    expect(s.t.mailer.outbox.filter((mail) => mail.to === known)).toHaveLength(3);
  });

  it('limits requests per client address across e-mail addresses', async () => {
    const answers = [];
    for (let index = 0; index < 8; index++) {
      answers.push((await s.reset(`many${index}@example.org`, '10.7.0.1')).statusCode);
    }
    expect(answers).toEqual([202, 202, 202, 202, 202, 202, 429, 429]);
  });
});

describe('password reset with a slow mail server', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof loopbackSmtp>>;
  beforeAll(async () => {
    // The server waits two seconds before its greeting and before accepting each mail.
    smtp = await loopbackSmtp(2_000);
    t = await testApp({ mailer: new SmtpMailer(smtp.url, 'Concord <concord@localhost>') });
    await t.app.auth.createPerson({ email: 'slow@example.org', name: 'Slow', password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('answers before the mail is sent: the request never waits for SMTP, for known or unknown addresses', async () => {
    const known = await requestPasswordReset(t.app, 'slow@example.org');
    expect(known.statusCode).toBe(202);
    // Causal, not timed: the mail server has not yet accepted anything when the answer is here.
    expect(smtp.received).toHaveLength(0);
    const unknown = await requestPasswordReset(t.app, 'nobody-here@example.org');
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(smtp.received).toHaveLength(0);
    const [mail] = await smtp.delivered(1);
    expect(mail?.to).toEqual(['slow@example.org']);
    expect(mail?.link).toMatch(/\/password-reset\?token=/);
    await t.app.mailOutbox.idle();
    expect(smtp.received).toHaveLength(1);
  }, 60_000);
});
