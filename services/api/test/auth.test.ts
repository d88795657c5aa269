import { meSchema, problemSchema, sessionListSchema } from '@concord/contracts';
import { streamIdFor } from '@concord/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../src/auth/plugin.ts';
import { ORG, requestPasswordReset, testApp, World } from './support/world.ts';

function sessionCookie(response: {
  cookies: { name: string; value: string; httpOnly?: boolean; sameSite?: string }[];
}) {
  return response.cookies.find((cookie) => cookie.name === SESSION_COOKIE);
}

describe('people, sign-in and roles', () => {
  let world: World;
  beforeAll(async () => {
    world = await World.create({
      signInLimits: {
        perAccount: { max: 5, windowMs: 60_000 },
        perClient: { max: 100, windowMs: 60_000 },
      },
    });
  }, 120_000);
  afterAll(() => world?.close());

  /** Who the session with `token` belongs to, as `/api/auth/me` answers. */
  const whoIs = (token: string) =>
    world.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { [SESSION_COOKIE]: token } });

  it('signs in with e-mail and password into an httpOnly, SameSite session; signs out', async () => {
    const { email } = await world.person('Amal');
    const signIn = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: email.toUpperCase(), password: 'correct horse battery' },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    const cookie = sessionCookie(signIn)!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await whoIs(cookie.value);
    expect(meSchema.parse(me.json())).toMatchObject({ email, role: 'none', organizationId: null });
    const out = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      cookies: { [SESSION_COOKIE]: cookie.value },
    });
    expect(out.statusCode).toBe(204);
    const after = await whoIs(cookie.value);
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('UNAUTHENTICATED');
  });

  it('refuses a wrong password with the same answer as an unknown address, and rate-limits attempts', async () => {
    const { email } = await world.person('Bashir');
    const wrong = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: 'not the password' },
    });
    const unknown = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'nobody@example.org', password: 'whatever it is' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().title).toBe(unknown.json().title);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      statuses.push(
        (
          await world.app.inject({
            method: 'POST',
            url: '/api/auth/sign-in',
            payload: { email, password: 'guess' },
          })
        ).statusCode,
      );
    }
    expect(statuses.at(-1)).toBe(429);
    const limited = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: 'correct horse battery' },
    });
    expect(problemSchema.parse(limited.json()).code).toBe('SIGN_IN_LOCKED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another person behind the same address is not locked out.
    const { email: colleague } = await world.person('Colleague');
    const ok = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: colleague, password: 'correct horse battery' },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('stores passwords as argon2id hashes', async () => {
    const { email } = await world.person('Hash');
    const row = await world.app.auth.personByEmail(email);
    expect(row?.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('lists my sessions and lets me revoke one', async () => {
    const { personId } = await world.person('Sessions');
    const auth = world.app.auth;
    const mine = await auth.createSession(personId, 'laptop');
    const phone = await auth.createSession(personId, 'phone');
    const list = await world.app.inject({
      method: 'GET',
      url: '/api/auth/sessions',
      cookies: { [SESSION_COOKIE]: mine.token },
    });
    const { sessions } = sessionListSchema.parse(list.json());
    expect(sessions.map((session) => session.sessionId).sort()).toEqual(
      [mine.sessionId, phone.sessionId].sort(),
    );
    expect(sessions.find((session) => session.current)?.sessionId).toBe(mine.sessionId);
    const revoke = await world.app.inject({
      method: 'DELETE',
      url: `/api/auth/sessions/${phone.sessionId}`,
      cookies: { [SESSION_COOKIE]: mine.token },
    });
    expect(revoke.statusCode).toBe(204);
    const gone = await whoIs(phone.token);
    expect(gone.statusCode).toBe(401);
    // Someone else's session is not mine to revoke.
    const other = await auth.createSession(world.people.get('repA')!.personId, 'x');
    const foreign = await world.app.inject({
      method: 'DELETE',
      url: `/api/auth/sessions/${other.sessionId}`,
      cookies: { [SESSION_COOKIE]: mine.token },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('invites a representative by one-time link: nothing is stored before she accepts, and the organization confirms her', async () => {
    const invite = await world.request('facilitator', 'POST', `/api/members/${ORG.B}/invitations`, {
      email: 'layla@example.org',
      name: 'Layla',
      reason: 'She coordinates our legal aid',
    });
    expect(invite.statusCode, invite.body).toBe(201);
    const { personId, command, link } = invite.json();
    expect(link).toBeNull(); // mail is on in this world
    expect(command.events[0].type).toBe('RepresentativeInvited');
    const invited = (await world.t.store.readStream(streamIdFor.member(ORG.B))).at(-1);
    expect(invited?.data).toMatchObject({
      personId,
      confirmed: false,
      reason: 'She coordinates our legal aid',
    });
    expect(JSON.stringify(invited)).not.toContain('Layla');
    expect(JSON.stringify(invited)).not.toContain('layla@example.org');
    // No account before she accepts.
    expect(await world.app.auth.personByEmail('layla@example.org')).toBeUndefined();
    const token = world.t.mailer.lastToken('layla@example.org');
    const noPassword = await world.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token },
    });
    expect(noPassword.json().code).toBe('PASSWORD_REQUIRED');
    const accept = await world.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token, password: 'a long password for Layla' },
    });
    expect(accept.statusCode, accept.body).toBe(200);
    // Accepted, but the facilitator's invitation alone gives her no voice: her organization decides.
    expect(meSchema.parse(accept.json())).toMatchObject({ personId, role: 'none', organizationId: null });
    // Without a role she cannot read the members list, so her answer names who must confirm her.
    const pendingMe = await whoIs(sessionCookie(accept)!.value);
    expect(meSchema.parse(pendingMe.json()).awaitingConfirmationBy).toEqual({
      organizationId: ORG.B,
      name: (await world.request('repB', 'GET', `/api/members/${ORG.B}`)).json().name,
    });
    // She cannot speak for Org B: her stance is refused and the tally does not move.
    const proposalId = await world.openBudgetProposal('repA');
    const tallyBefore = (await world.request('repB', 'GET', `/api/proposals/${proposalId}`)).json().outcome;
    const stance = await world.app.inject({
      method: 'POST',
      url: `/api/proposals/${proposalId}/stances`,
      cookies: { [SESSION_COOKIE]: sessionCookie(accept)!.value },
      payload: { stance: 'consent' },
    });
    expect(stance.statusCode).toBe(403);
    expect(stance.json().code).toBe('NO_ROLE');
    expect((await world.request('repB', 'GET', `/api/proposals/${proposalId}`)).json().outcome).toEqual(
      tallyBefore,
    );
    const pending = await world.request('repB', 'GET', `/api/members/${ORG.B}`);
    expect(pending.json().representatives).toContainEqual(
      expect.objectContaining({ personId, name: 'Layla', status: 'awaitingConfirmation', confirmed: false }),
    );
    const byFacilitator = await world.request(
      'facilitator',
      'POST',
      `/api/members/${ORG.B}/representatives/${personId}/confirmation`,
      { reason: null },
    );
    expect(byFacilitator.json().code).toBe('FACILITATOR_NOT_ALLOWED');
    const confirmed = await world.request(
      'repB',
      'POST',
      `/api/members/${ORG.B}/representatives/${personId}/confirmation`,
      { reason: 'Welcome, Layla' },
    );
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const member = await world.app.facts.member(ORG.B);
    expect(member.status === 'member' ? member.representatives[personId]?.status : null).toBe('active');
    const events = await world.t.store.readStream(streamIdFor.member(ORG.B));
    expect(events.slice(-2).map((event) => event.type)).toEqual([
      'RepresentativeJoined',
      'RepresentativeConfirmed',
    ]);
    const again = await world.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token, password: 'a long password for Layla' },
    });
    expect(again.json().code).toBe('TOKEN_INVALID');
    const signIn = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email: 'layla@example.org', password: 'a long password for Layla' },
    });
    expect(signIn.json().role).toBe('representative');

    // Removed from the organization, she keeps her account but loses the role at once.
    const removed = await world.request(
      'repB',
      'DELETE',
      `/api/members/${ORG.B}/representatives/${personId}`,
    );
    expect(removed.statusCode, removed.body).toBe(200);
    const me = await whoIs(sessionCookie(signIn)!.value);
    // Removed, not awaiting anyone: nobody is named as the one to confirm her.
    expect(me.json()).toMatchObject({ role: 'none', organizationId: null, awaitingConfirmationBy: null });
    const act = await world.app.inject({
      method: 'POST',
      url: '/api/proposals',
      cookies: { [SESSION_COOKIE]: sessionCookie(signIn)!.value },
      payload: {},
    });
    expect(act.json().code).toBe('NO_ROLE');
  });

  it('invites an auditor, who reads but changes nothing', async () => {
    const invite = await world.request('facilitator', 'POST', '/api/invitations', {
      role: 'auditor',
      email: 'audit@example.org',
      name: 'Audit',
    });
    expect(invite.statusCode, invite.body).toBe(201);
    const token = world.t.mailer.lastToken('audit@example.org');
    const accept = await world.app.inject({
      method: 'POST',
      url: '/api/invitations/accept',
      payload: { token, password: 'auditing all day' },
    });
    expect(accept.json().role).toBe('auditor');
  });

  it('resets a password by one-time link and ends every session', async () => {
    const { email, personId } = await world.person('Reset');
    const old = await world.app.auth.createSession(personId, 'old');
    const request = await requestPasswordReset(world.app, email);
    expect(request.statusCode).toBe(202);
    const unknown = await requestPasswordReset(world.app, 'ghost@example.org');
    expect(unknown.statusCode).toBe(202);
    // The mail leaves in the background.
    await world.app.mailOutbox.idle();
    const token = world.t.mailer.lastToken(email);
    const complete = await world.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/complete',
      payload: { token, password: 'my new long password' },
    });
    expect(complete.statusCode).toBe(204);
    expect((await whoIs(old.token)).statusCode).toBe(401);
    const signIn = await world.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: 'my new long password' },
    });
    expect(signIn.statusCode).toBe(200);
  });
});

describe('first start', () => {
  it('creates the first facilitator with the one-time set-up link, once', async () => {
    const t = await testApp();
    try {
      const link = await t.app.auth.setupLinkIfNeeded();
      expect(link).toMatch(/^http:\/\/localhost:3000\/setup\?token=/);
      const token = new URL(link!).searchParams.get('token')!;
      const setup = await t.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: {
          token,
          email: 'first@example.org',
          name: 'First facilitator',
          password: 'a long first password',
        },
      });
      expect(setup.statusCode, setup.body).toBe(201);
      expect(setup.json().role).toBe('facilitator');
      expect(sessionCookie(setup)).toBeDefined();
      const again = await t.app.inject({
        method: 'POST',
        url: '/api/setup',
        payload: { token, email: 'second@example.org', name: 'Second', password: 'a long first password' },
      });
      expect(again.statusCode).toBe(400);
      expect(await t.app.auth.setupLinkIfNeeded()).toBeNull();
      expect(await t.store.head()).toBe(0);
    } finally {
      await t.close();
    }
  }, 120_000);
});
