import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { derivedUuid } from '../commands/ids.ts';
import { ProblemError } from '../errors.ts';
import { commandIdOf } from '../idempotency.ts';
import { registerRoute } from '../routing.ts';
import { actorOf, type InvitationPayload, meOf, type Principal } from './service.ts';

export const SESSION_COOKIE = 'concord_session';

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

export interface AuthPluginOptions {
  /** Sign-in attempts allowed per address and window. */
  signInLimit: { max: number; timeWindowMs: number };
  /** Send the cookie only over HTTPS (on whenever the public URL is https). */
  secureCookie: boolean;
  sessionTtlMs: number;
}

/**
 * Sessions and people: resolves the session cookie of every request to a principal (who, which role,
 * which organization), and serves sign-in, sign-out, sessions, invitations, password reset and set-up.
 */
export const authPlugin = fp(async (app: FastifyInstance, options: AuthPluginOptions) => {
  const { auth, bus, clock, facts } = app.concord;
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: () => new ProblemError('RATE_LIMITED'),
  });

  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    // Only the API reads sessions: the portal's pages (mounted on the same server) ask the API themselves.
    if (!isApiPath(request.url)) return;
    const token = request.cookies[SESSION_COOKIE];
    request.principal = token ? await auth.resolveSession(token) : null;
    if (request.principal) request.log = request.log.child({ personId: request.principal.personId });
  });

  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookie,
      path: '/',
      maxAge: Math.floor(options.sessionTtlMs / 1000),
    });

  registerRoute(
    app,
    'signIn',
    async ({ body, request, reply }) => {
      const { token, principal } = await auth.signIn(
        body.email,
        body.password,
        request.headers['user-agent'] ?? null,
      );
      setSession(reply, token);
      return { body: meOf(principal) };
    },
    {
      // Per address and e-mail: guessing one person's password is slowed down, while the colleagues
      // behind the same office connection can still sign in.
      rateLimit: {
        max: options.signInLimit.max,
        timeWindow: options.signInLimit.timeWindowMs,
        hook: 'preHandler',
        keyGenerator: (request: FastifyRequest) => {
          const email = (request.body as { email?: unknown } | undefined)?.email;
          return `${request.ip}|${typeof email === 'string' ? email : ''}`;
        },
      },
    },
  );

  registerRoute(app, 'signOut', async ({ principal, reply }) => {
    const me = principal as Principal;
    await auth.revokeSession(me.personId, me.sessionId);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return {};
  });

  registerRoute(app, 'me', async ({ principal }) => ({ body: meOf(principal as Principal) }));

  registerRoute(app, 'sessions', async ({ principal }) => {
    const me = principal as Principal;
    const rows = await auth.sessions(me.personId);
    return {
      body: {
        sessions: rows.map((row) => ({
          sessionId: row.session_id,
          createdAt: new Date(row.created_at).toISOString(),
          lastSeenAt: new Date(row.last_seen_at).toISOString(),
          expiresAt: new Date(row.expires_at).toISOString(),
          userAgent: row.user_agent,
          current: row.session_id === me.sessionId,
        })),
      },
    };
  });

  registerRoute(app, 'revokeSession', async ({ principal, params, reply }) => {
    const me = principal as Principal;
    if (!(await auth.revokeSession(me.personId, params.sessionId)))
      throw new ProblemError('NOT_YOUR_SESSION');
    if (params.sessionId === me.sessionId) reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return {};
  });

  registerRoute(app, 'requestPasswordReset', async ({ body }) => {
    await auth.requestPasswordReset(body.email);
    return { body: { status: 'sent if the address has an account' } };
  });

  registerRoute(app, 'completePasswordReset', async ({ body }) => {
    await auth.completePasswordReset(body.token, body.password);
    return {};
  });

  registerRoute(app, 'setup', async ({ body, request, reply }) => {
    const person = await auth.completeSetup(body);
    const session = await auth.createSession(person.person_id, request.headers['user-agent'] ?? null);
    setSession(reply, session.token);
    return { body: meOf(await auth.principalOf(person, session.sessionId)) };
  });

  registerRoute(app, 'inviteStaff', async ({ body, principal }) => {
    const { personId, existing } = await auth.inviteeId(body.email);
    if (existing && (existing.staff_role ?? body.role) !== body.role)
      throw new ProblemError('PERSON_HAS_OTHER_ROLE');
    if (existing && (await auth.roleOf(existing)).role === 'representative')
      throw new ProblemError('PERSON_HAS_OTHER_ROLE');
    const payload: InvitationPayload = {
      role: body.role,
      personId,
      email: body.email,
      name: existing?.name ?? body.name,
      organizationId: null,
    };
    const { expiresAt, link } = await auth.sendInvitation(payload, (principal as Principal).name);
    return {
      body: {
        personId,
        email: body.email,
        role: body.role,
        organizationId: null,
        expiresAt: expiresAt.toISOString(),
        link,
        command: null,
      },
    };
  });

  registerRoute(app, 'inviteRepresentative', async ({ body, params, principal, request }) => {
    const me = principal as Principal;
    const { organizationId } = params;
    // Who the invitation is for; nothing about them is stored until the organization's history accepts
    // the invitation (and no account exists until they accept it).
    const { personId, existing } = await auth.inviteeId(body.email);
    if (existing) {
      const current = await auth.roleOf(existing);
      if (current.role === 'facilitator' || current.role === 'auditor')
        throw new ProblemError('PERSON_HAS_OTHER_ROLE');
      if (current.role === 'representative' && current.organizationId !== organizationId) {
        throw new ProblemError('REPRESENTS_ANOTHER_ORGANIZATION');
      }
    }
    const actor = actorOf(me);
    if (!actor) throw new ProblemError('NO_ROLE');
    const outcome = await bus.execute(
      {
        type: 'InviteRepresentative',
        actor,
        now: clock().toISOString(),
        organizationId,
        personId,
        reason: body.reason,
      },
      { commandId: commandIdOf(request), correlationId: request.correlationId, causationId: request.id },
    );
    let command = null;
    if (outcome.ok) command = outcome.result;
    else {
      // Inviting someone already invited (not yet accepted) sends a new link and records nothing new.
      const member = await facts.member(organizationId);
      const resend =
        outcome.error.code === 'ALREADY_A_REPRESENTATIVE' &&
        member.status === 'member' &&
        member.representatives[personId]?.accepted === false;
      if (!resend) throw ProblemError.fromDomain(outcome.error);
    }
    const payload: InvitationPayload = {
      role: 'representative',
      personId,
      email: body.email,
      name: existing?.name ?? body.name,
      organizationId,
    };
    const { expiresAt, link } = await auth.sendInvitation(payload, me.name);
    return {
      body: {
        personId,
        email: body.email,
        role: 'representative',
        organizationId,
        expiresAt: expiresAt.toISOString(),
        link,
        command,
      },
    };
  });

  registerRoute(app, 'acceptInvitation', async ({ body, request, reply }) => {
    const token = await auth.peekToken('invitation', body.token);
    const invitation = token.payload as InvitationPayload;
    const known = await auth.person(invitation.personId);
    if (!known?.password_hash && !body.password) throw new ProblemError('PASSWORD_REQUIRED');
    if (invitation.role === 'representative' && invitation.organizationId) {
      const organizationId = invitation.organizationId;
      const outcome = await bus.execute(
        {
          type: 'AcceptRepresentation',
          actor: { role: 'representative', personId: invitation.personId, organizationId },
          now: clock().toISOString(),
          organizationId,
        },
        // Derived from the link: accepting twice (a double click, a retry) records one acceptance.
        {
          commandId: derivedUuid('accept', token.token_hash),
          correlationId: request.correlationId,
          causationId: request.id,
        },
      );
      if (!outcome.ok) throw ProblemError.fromDomain(outcome.error);
      // The account exists from now on, pointing at the organization whose history decides the role.
      await auth.personOfInvitation(invitation);
      await auth.setOrganization(invitation.personId, organizationId);
    } else {
      await auth.personOfInvitation(invitation);
      await auth.db
        .updateTable('auth.people')
        .set({ staff_role: invitation.role === 'representative' ? null : invitation.role })
        .where('person_id', '=', invitation.personId)
        .execute();
    }
    if (!known?.password_hash && body.password) await auth.setPassword(invitation.personId, body.password);
    await auth.consumeToken(body.token);
    const fresh = (await auth.person(invitation.personId))!;
    const session = await auth.createSession(fresh.person_id, request.headers['user-agent'] ?? null);
    setSession(reply, session.token);
    return { body: meOf(await auth.principalOf(fresh, session.sessionId)) };
  });
});
