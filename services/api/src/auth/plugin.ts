import type { CommandResult } from '@concord/contracts';
import type { Actor, CommandDraft } from '@concord/domain';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { derivedUuid } from '../commands/ids.ts';
import { ProblemError } from '../errors.ts';
import { claimableKey, commandIdOf, releaseClaim } from '../idempotency.ts';
import { registerRoute } from '../routing.ts';
import { clientAddress, type PortalForwarding } from './client-address.ts';
import { AttemptLimiter, clientKey, type Limit } from './limits.ts';
import { actorOf, type InvitationPayload, meOf, type Principal } from './service.ts';

export const SESSION_COOKIE = 'concord_session';

function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/** Failed sign-ins allowed per account (whatever the address) and per client address (whatever the account). */
/**
 * The command by which an invited person takes up their part for an organization: a member's
 * representative, or a partner organization's contact in a partnership. Null for a staff invitation,
 * which the history does not record.
 */
function acceptanceOf(
  invitation: InvitationPayload,
  now: string,
): (CommandDraft & { actor: { organizationId: string } }) | null {
  const { personId, organizationId, partnershipId } = invitation;
  if (!organizationId) return null;
  if (invitation.role === 'representative') {
    return {
      type: 'AcceptRepresentation',
      actor: { role: 'representative', personId, organizationId },
      now,
      organizationId,
    };
  }
  if (invitation.role === 'partner' && partnershipId) {
    return {
      type: 'AcceptPartnerContact',
      actor: { role: 'partner', personId, organizationId },
      now,
      partnershipId,
    };
  }
  return null;
}

export interface SignInLimits {
  perAccount: Limit;
  perClient: Limit;
}

/** Password-reset requests allowed per e-mail address (known or not) and per client address. */
export interface ResetLimits {
  perEmail: Limit;
  perClient: Limit;
}

export const defaultSignInLimits: SignInLimits = {
  // Ten wrong passwords for one account in 15 minutes pause it for a minute, then 2, 4 … up to an hour.
  perAccount: { max: 10, windowMs: 900_000, lockMs: 60_000, maxLockMs: 3_600_000 },
  // Thirty wrong passwords from one address (any accounts) in 15 minutes: the same back-off. An office
  // behind one address has room for its people's typos; a spray over every account does not.
  perClient: { max: 30, windowMs: 900_000, lockMs: 60_000, maxLockMs: 3_600_000 },
};

export const defaultResetLimits: ResetLimits = {
  perEmail: { max: 3, windowMs: 3_600_000 },
  perClient: { max: 20, windowMs: 3_600_000 },
};

export interface AuthPluginOptions {
  signInLimits: SignInLimits;
  resetLimits: ResetLimits;
  /** Recognizes the mounted portal, which forwards the browser's address. */
  forwarding: PortalForwarding;
  /** Send the cookie only over HTTPS (on whenever the public URL is https). */
  secureCookie: boolean;
  sessionTtlMs: number;
}

/**
 * Sessions and people: resolves the session cookie of every request to a principal (who, which role,
 * which organization), and serves sign-in, sign-out, sessions, invitations, password reset and set-up.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthPluginOptions) => {
    const { auth, commandBus: bus, clock, facts } = app;
    await app.register(cookie);
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: () => new ProblemError('RATE_LIMITED'),
    });

    app.decorateRequest('principal', null);
    app.decorateRequest('idempotencyClaimed', false);
    // A key taken with the session by a request that never reached its handler is given back.
    app.addHook('onResponse', async (request) => releaseClaim(request));
    app.addHook('onRequest', async (request) => {
      // Only the API reads sessions: the portal's pages (mounted on the same server) ask the API themselves.
      if (!isApiPath(request.url)) return;
      const token = request.cookies[SESSION_COOKIE];
      // Timed as a step of a command (a request that changes something), where it is part of the cost.
      const timed =
        request.method === 'GET' ? null : app.metrics.commandSteps.startTimer({ step: 'session' });
      // A command route's role is read from kept states: its append checks them. A route that keeps its
      // answers has its `Idempotency-Key` taken in the same statement (ADR 0043).
      const kept = (request.routeOptions.config as { keptRole?: boolean } | undefined)?.keptRole === true;
      const session = token ? await auth.resolveSession(token, { kept, claim: claimableKey(request) }) : null;
      request.principal = session?.principal ?? null;
      request.idempotencyClaimed = session?.claimed ?? false;
      timed?.();
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

    const limits = {
      signInAccount: new AttemptLimiter(options.signInLimits.perAccount, clock),
      signInClient: new AttemptLimiter(options.signInLimits.perClient, clock),
      resetEmail: new AttemptLimiter(options.resetLimits.perEmail, clock),
      resetClient: new AttemptLimiter(options.resetLimits.perClient, clock),
    };
    const clientOf = (request: FastifyRequest) => clientKey(clientAddress(request, options.forwarding));

    // Failures count per account from every address, and per address over every account (a password
    // sprayed over all accounts). A locked account or address is refused before its password is even
    // checked, so the answer says nothing about whether a guess was right; unknown accounts count alike.
    registerRoute(app, 'signIn', async ({ body, request, reply }) => {
      const client = clientOf(request);
      const clientWait = limits.signInClient.retryAfterMs(client);
      const accountWait = limits.signInAccount.retryAfterMs(body.email);
      if (clientWait > 0 || accountWait > 0) {
        const retryAfterSeconds = Math.ceil(Math.max(clientWait, accountWait) / 1000);
        throw new ProblemError('SIGN_IN_LOCKED', {
          details: { scope: clientWait > 0 ? 'address' : 'account', retryAfterSeconds },
          retryAfterSeconds,
        });
      }
      let signedIn: Awaited<ReturnType<typeof auth.signIn>>;
      try {
        signedIn = await auth.signIn(body.email, body.password, request.headers['user-agent'] ?? null);
      } catch (error) {
        if (error instanceof ProblemError && error.code === 'SIGN_IN_FAILED') {
          limits.signInAccount.hit(body.email);
          limits.signInClient.hit(client);
        }
        throw error;
      }
      limits.signInAccount.clear(body.email);
      setSession(reply, signedIn.token);
      return { body: meOf(signedIn.principal) };
    });

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

    // The same answer and the same work for every address; a few links an hour per address and per client.
    registerRoute(app, 'requestPasswordReset', async ({ body, request }) => {
      const client = clientOf(request);
      const wait = Math.max(
        limits.resetEmail.retryAfterMs(body.email),
        limits.resetClient.retryAfterMs(client),
      );
      if (wait > 0) throw new ProblemError('RATE_LIMITED', { retryAfterSeconds: Math.ceil(wait / 1000) });
      limits.resetEmail.hit(body.email);
      limits.resetClient.hit(client);
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

    /** Sends the one-time link of `payload` from `inviter`, and answers what was sent (the link only without mail). */
    async function invitationSent(
      payload: InvitationPayload,
      inviter: Principal,
      command: CommandResult | null,
    ) {
      const { expiresAt, link } = await auth.sendInvitation(payload, inviter.name);
      const { personId, email, role, organizationId } = payload;
      return { personId, email, role, organizationId, expiresAt: expiresAt.toISOString(), link, command };
    }

    /**
     * Who an invitation to `body.email` is for: their id (a new one for someone Concord does not know yet),
     * their account if they have one, and the name their link carries (a known person keeps their own).
     */
    async function inviteeOf(body: { email: string; name: string }) {
      const { personId, existing } = await auth.inviteeId(body.email);
      return { existing, personId, email: body.email, name: existing?.name ?? body.name };
    }

    registerRoute(app, 'inviteStaff', async ({ body, principal }) => {
      const { existing, ...invitee } = await inviteeOf(body);
      if (existing && (existing.staff_role ?? body.role) !== body.role)
        throw new ProblemError('PERSON_HAS_OTHER_ROLE');
      const current = existing && (await auth.roleOf(existing)).role;
      if (current === 'representative' || current === 'partner')
        throw new ProblemError('PERSON_HAS_OTHER_ROLE');
      const payload: InvitationPayload = { role: body.role, ...invitee, organizationId: null };
      return { body: await invitationSent(payload, principal as Principal, null) };
    });

    registerRoute(app, 'inviteRepresentative', async ({ body, params, principal, request }) => {
      const me = principal as Principal;
      const { organizationId } = params;
      // Who the invitation is for; nothing about them is stored until the organization's history accepts
      // the invitation (and no account exists until they accept it).
      const { existing, ...invitee } = await inviteeOf(body);
      const { personId } = invitee;
      if (existing) {
        const current = await auth.roleOf(existing);
        if (current.role === 'facilitator' || current.role === 'auditor' || current.role === 'partner')
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
      const payload: InvitationPayload = { role: 'representative', ...invitee, organizationId };
      return { body: await invitationSent(payload, me, command) };
    });

    // A partner organization's person: invited into one partnership, for their organization. Like a
    // representative's, their name and address go to the invitation only, never into the history.
    registerRoute(app, 'invitePartnerContact', async ({ body, params, principal, request }) => {
      const me = principal as Principal;
      const { partnershipId } = params;
      const { organizationId } = body;
      const { existing, ...invitee } = await inviteeOf(body);
      const { personId } = invitee;
      if (existing) {
        const current = await auth.roleOf(existing);
        const otherRole = current.role !== 'none' && current.role !== 'partner';
        if (otherRole || existing.staff_role) throw new ProblemError('PERSON_HAS_OTHER_ROLE');
        if (existing.organization_id && existing.organization_id !== organizationId)
          throw new ProblemError('PERSON_HAS_OTHER_ROLE');
      }
      const outcome = await bus.execute(
        {
          type: 'InvitePartnerContact',
          actor: actorOf(me) as Actor,
          now: clock().toISOString(),
          partnershipId,
          organizationId,
          personId,
        },
        { commandId: commandIdOf(request), correlationId: request.correlationId, causationId: request.id },
      );
      let command = null;
      if (outcome.ok) command = outcome.result;
      else {
        // Inviting someone invited and not yet joined sends a new link and records nothing new.
        const partnership = await facts.partnership(partnershipId);
        const contact = partnership.status === 'active' ? partnership.contacts[personId] : undefined;
        const resend =
          outcome.error.code === 'ALREADY_A_CONTACT' &&
          contact?.joined === false &&
          contact.organizationId === organizationId;
        if (!resend) throw ProblemError.fromDomain(outcome.error);
      }
      const payload: InvitationPayload = { role: 'partner', ...invitee, organizationId, partnershipId };
      return { status: 201, body: await invitationSent(payload, me, command) };
    });

    registerRoute(app, 'acceptInvitation', async ({ body, request, reply }) => {
      const token = await auth.peekToken('invitation', body.token);
      const invitation = token.payload as InvitationPayload;
      const known = await auth.person(invitation.personId);
      if (!known?.password_hash && !body.password) throw new ProblemError('PASSWORD_REQUIRED');
      const acceptance = acceptanceOf(invitation, clock().toISOString());
      if (acceptance) {
        const outcome = await bus.execute(acceptance, {
          // Derived from the link: accepting twice (a double click, a retry) records one acceptance.
          commandId: derivedUuid('accept', token.token_hash),
          correlationId: request.correlationId,
          causationId: request.id,
        });
        if (!outcome.ok) throw ProblemError.fromDomain(outcome.error);
        // The account exists from now on, pointing at the organization whose history (a member's, or a
        // partnership's) decides the role.
        await auth.personOfInvitation(invitation);
        await auth.setOrganization(invitation.personId, acceptance.actor.organizationId);
      } else {
        await auth.personOfInvitation(invitation);
        await auth.db
          .updateTable('auth.people')
          .set({
            staff_role:
              invitation.role === 'facilitator' || invitation.role === 'auditor' ? invitation.role : null,
          })
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
  },
  { name: 'concord-auth', dependencies: ['concord-problems', 'concord-accounts', 'concord-commands'] },
);
