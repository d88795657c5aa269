import { randomUUID } from 'node:crypto';
import type { Me, Role } from '@concord/contracts';
import type { Actor, MemberState } from '@concord/domain';
import type { StreamAt } from '@concord/event-store';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { forgetCalendarLink } from '../calendar/links.ts';
import type { Facts, FactsRead } from '../commands/context.ts';
import type { ApiDb, ApiTables } from '../db.ts';
import { ProblemError } from '../errors.ts';
import type { Mail, Mailer } from '../mail.ts';
import type { MailOutbox } from '../mail-outbox.ts';
import { forgetNotifications } from '../notifications/forget.ts';
import { digest, newSecret, type Passwords } from './secrets.ts';
import { newSetupLink } from './setup-link.ts';

/** The person behind a request, with the role they act in now. */
export interface Principal {
  personId: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string | null;
  /** For a person without a role whose organization has yet to confirm them: which one, by name. */
  awaitingConfirmationBy?: { organizationId: string; name: string } | null;
  sessionId: string;
  /**
   * The streams the role was read from as this process kept them, without asking the store whether they
   * moved on since, each at the version it was read at: a command in this role is appended only if they
   * are still there (ADR 0043). Absent when the role was read from the streams as they are now.
   */
  basis?: readonly StreamAt[];
}

export type PersonRow = ApiTables['auth.people'];

export interface InvitationPayload {
  role: 'representative' | 'auditor' | 'facilitator' | 'partner';
  personId: string;
  email: string;
  name: string;
  organizationId: string | null;
  /** For a partner's person: the partnership they are invited into. */
  partnershipId?: string;
}

export interface AuthOptions {
  db: ApiDb;
  facts: Facts;
  passwords: Passwords;
  mailer: Mailer;
  /** Where password-reset mails wait to be sent, off the request path. */
  outbox: MailOutbox;
  logger: FastifyBaseLogger;
  clock: () => Date;
  /** Where the portal is reached: links in mails point there. */
  publicUrl: string;
  sessionTtlMs?: number;
  invitationTtlMs?: number;
  resetTtlMs?: number;
}

const DAY = 86_400_000;

/** Sessions that just ended here: one session (sign-out, revocation) or all of a person's (new password). */
export interface SessionsEnded {
  sessionId?: string;
  personId?: string;
}

/** The domain actor for a principal, or null for a person without a role. */
export function actorOf(principal: Principal): Actor | null {
  switch (principal.role) {
    case 'representative':
      return {
        role: 'representative',
        personId: principal.personId,
        organizationId: principal.organizationId as string,
      };
    case 'partner':
      return {
        role: 'partner',
        personId: principal.personId,
        organizationId: principal.organizationId as string,
      };
    case 'facilitator':
    case 'auditor':
      return { role: principal.role, personId: principal.personId, organizationId: null };
    case 'none':
      return null;
  }
}

export function meOf(principal: Principal): Me {
  const { personId, email, name, role, organizationId, sessionId } = principal;
  const awaitingConfirmationBy = principal.awaitingConfirmationBy ?? null;
  return { personId, email, name, role, organizationId, awaitingConfirmationBy, sessionId };
}

/**
 * People, passwords (argon2id), sessions and one-time links. Who represents which organization is read
 * from that organization's member stream on every request, so a removed representative loses the role at
 * once; a partner's person is one while a partnership's stream has them joined for their organization;
 * facilitators and auditors have their role on their account.
 */
export class AuthService {
  readonly #o: Required<AuthOptions>;
  readonly #ended = new Set<(ended: SessionsEnded) => void>();

  constructor(options: AuthOptions) {
    this.#o = {
      ...options,
      sessionTtlMs: options.sessionTtlMs ?? 30 * DAY,
      invitationTtlMs: options.invitationTtlMs ?? 14 * DAY,
      resetTtlMs: options.resetTtlMs ?? 3_600_000,
    };
  }

  get db(): ApiDb {
    return this.#o.db;
  }

  // ---- people and roles ----------------------------------------------------------------------------

  async personByEmail(email: string): Promise<PersonRow | undefined> {
    return this.#o.db.selectFrom('auth.people').selectAll().where('email', '=', email).executeTakeFirst();
  }

  async person(personId: string): Promise<PersonRow | undefined> {
    return this.#o.db
      .selectFrom('auth.people')
      .selectAll()
      .where('person_id', '=', personId)
      .executeTakeFirst();
  }

  /**
   * Whether the coalition knows the person: an account (forgotten ones included), or a member
   * organization's stream naming them as a representative (an invitation not yet accepted has no account).
   */
  async knows(personId: string): Promise<boolean> {
    if (await this.person(personId)) return true;
    const members = await this.#o.facts.members();
    return members.some((member) => personId in member.representatives);
  }

  /** Everyone with an account, by name: what members may know of each other (no e-mail, no secrets). */
  async directory() {
    const rows = await this.#o.db
      .selectFrom('auth.people')
      .select(['person_id', 'name', 'staff_role', 'organization_id'])
      .where('forgotten_at', 'is', null)
      .orderBy('name')
      .orderBy('person_id')
      .execute();
    return rows.map((row) => ({
      personId: row.person_id,
      name: row.name,
      staffRole: row.staff_role,
      organizationId: row.organization_id,
    }));
  }

  /**
   * Of these people, the ids of those who have a role in the coalition now (a facilitator, an auditor, an
   * active representative): who may read a proposal, and so who may be mentioned in a comment on one.
   */
  async withRole(personIds: readonly string[]): Promise<Set<string>> {
    if (personIds.length === 0) return new Set();
    const people = await this.#o.db
      .selectFrom('auth.people')
      .selectAll()
      .where('person_id', 'in', [...personIds])
      .where('forgotten_at', 'is', null)
      .execute();
    const roles = await Promise.all(
      people.map(async (person) => [person, await this.roleOf(person)] as const),
    );
    return new Set(roles.filter(([, { role }]) => role !== 'none').map(([person]) => person.person_id));
  }

  /** The role a person acts in now; from the states this process keeps, with `read`, as `Facts.recorded`. */
  async roleOf(
    person: PersonRow,
    read?: FactsRead,
  ): Promise<{
    role: Role;
    organizationId: string | null;
    awaitingConfirmationBy: { organizationId: string; name: string } | null;
  }> {
    if (person.staff_role) {
      return { role: person.staff_role, organizationId: null, awaitingConfirmationBy: null };
    }
    if (person.organization_id) {
      const facts = read ? this.#o.facts.recorded(read) : this.#o.facts;
      const member: MemberState = await facts.member(person.organization_id);
      const status =
        member.status === 'member' ? member.representatives[person.person_id]?.status : undefined;
      if (member.status === 'member' && status === 'active') {
        return {
          role: 'representative',
          organizationId: person.organization_id,
          awaitingConfirmationBy: null,
        };
      }
      // Accepted, not yet confirmed: without a role they cannot read the members list, so the answer
      // names the organization that has to confirm them (its name is the coalition's, not personal data).
      if (member.status === 'member' && status === 'awaitingConfirmation') {
        return {
          role: 'none',
          organizationId: null,
          awaitingConfirmationBy: { organizationId: member.organizationId, name: member.name },
        };
      }
      if (member.status !== 'member') {
        const partnerships = await this.#o.facts.partnershipsOfContact(person.person_id);
        if (partnerships.some((partnership) => partnership.organizationId === person.organization_id)) {
          return { role: 'partner', organizationId: person.organization_id, awaitingConfirmationBy: null };
        }
      }
    }
    return { role: 'none', organizationId: null, awaitingConfirmationBy: null };
  }

  /** The person's principal in a session; with `kept`, its role is read as `Principal.basis` says. */
  async principalOf(person: PersonRow, sessionId: string, kept = false): Promise<Principal> {
    const read: FactsRead | undefined = kept ? new Map() : undefined;
    const { role, organizationId, awaitingConfirmationBy } = await this.roleOf(person, read);
    return {
      personId: person.person_id,
      email: person.email,
      name: person.name,
      role,
      organizationId,
      awaitingConfirmationBy,
      sessionId,
      ...(read && { basis: [...read].map(([streamId, version]) => ({ streamId, version })) }),
    };
  }

  /**
   * The person an invitation to `email` is for: the account with that address, else the person a pending
   * invitation to it already named, else a new id. Nothing is created: an account exists only once an
   * invitation is accepted.
   */
  async inviteeId(email: string): Promise<{ personId: string; existing: PersonRow | undefined }> {
    const existing = await this.personByEmail(email);
    if (existing) return { personId: existing.person_id, existing };
    const pending = await this.#o.db
      .selectFrom('auth.tokens')
      .select('person_id')
      .where('kind', '=', 'invitation')
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.#o.clock())
      .where(sql<string>`payload->>'email'`, '=', email)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return { personId: pending?.person_id ?? randomUUID(), existing: undefined };
  }

  /**
   * The account of an accepted invitation: the invited person's, created now if it does not exist yet.
   * Refuses when the address has meanwhile been given to another account.
   */
  async personOfInvitation(invitation: InvitationPayload): Promise<PersonRow> {
    await this.#o.db
      .insertInto('auth.people')
      .values({
        person_id: invitation.personId,
        email: invitation.email,
        name: invitation.name,
        password_hash: null,
        staff_role: null,
        organization_id: null,
        created_at: this.#o.clock(),
        forgotten_at: null,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const person = await this.person(invitation.personId);
    if (!person || person.email !== invitation.email) throw new ProblemError('TOKEN_INVALID');
    return person;
  }

  /** Every known person's name, for an export that includes them (a forgotten person is not known). */
  async namesOfEveryone(): Promise<Map<string, string>> {
    const rows = await this.#o.db
      .selectFrom('auth.people')
      .select(['person_id', 'name'])
      .where('forgotten_at', 'is', null)
      .execute();
    return new Map(rows.map((row) => [row.person_id, row.name]));
  }

  /**
   * The names behind person ids: accounts, and people invited who have not accepted yet (their name
   * is in the invitation, never in the history). An id without either is a person no longer known here.
   */
  async namesOf(personIds: readonly string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    const ids = [...new Set(personIds)];
    if (ids.length === 0) return names;
    const people = await this.#o.db
      .selectFrom('auth.people')
      .select(['person_id', 'name'])
      .where('person_id', 'in', ids)
      .where('forgotten_at', 'is', null)
      .execute();
    for (const row of people) names.set(row.person_id, row.name);
    const missing = ids.filter((id) => !names.has(id));
    if (missing.length > 0) {
      const invited = await this.#o.db
        .selectFrom('auth.tokens')
        .select(['person_id', sql<string>`payload->>'name'`.as('name')])
        .where('kind', '=', 'invitation')
        .where('person_id', 'in', missing)
        .orderBy('created_at')
        .execute();
      for (const row of invited) if (row.person_id && row.name) names.set(row.person_id, row.name);
    }
    return names;
  }

  /** A person with a password and (optionally) a staff role: for set-up and tests. */
  async createPerson(input: {
    email: string;
    name: string;
    password?: string;
    staffRole?: 'facilitator' | 'auditor' | null;
    organizationId?: string | null;
    personId?: string;
  }): Promise<PersonRow> {
    const row: PersonRow = {
      person_id: input.personId ?? randomUUID(),
      email: input.email,
      name: input.name,
      password_hash: input.password ? await this.#o.passwords.hash(input.password) : null,
      staff_role: input.staffRole ?? null,
      organization_id: input.organizationId ?? null,
      created_at: this.#o.clock(),
      forgotten_at: null,
    };
    await this.#o.db.insertInto('auth.people').values(row).execute();
    return row;
  }

  async setOrganization(personId: string, organizationId: string): Promise<void> {
    await this.#o.db
      .updateTable('auth.people')
      .set({ organization_id: organizationId })
      .where('person_id', '=', personId)
      .execute();
  }

  /**
   * Erases a person's personal data: name, address, password and pointers leave their account row (which
   * keeps only the id, so the history's references stay unique), and their sessions, one-time links,
   * idempotency records, queued mails, notifications (with their follows and choices) and calendar link go. The history records the act (`PersonForgotten`), never data.
   */
  async forget(personId: string): Promise<void> {
    const now = this.#o.clock();
    await this.#o.db.transaction().execute(async (trx) => {
      const person = await trx
        .selectFrom('auth.people')
        .select('email')
        .where('person_id', '=', personId)
        .executeTakeFirst();
      if (person) {
        await trx.deleteFrom('api.mail_outbox').where('recipient', '=', person.email).execute();
        await trx
          .updateTable('auth.people')
          .set({
            name: '',
            email: `forgotten-${personId}@forgotten.invalid`,
            password_hash: null,
            staff_role: null,
            organization_id: null,
            forgotten_at: now,
          })
          .where('person_id', '=', personId)
          .execute();
      }
      await trx.deleteFrom('auth.sessions').where('person_id', '=', personId).execute();
      await trx.deleteFrom('auth.tokens').where('person_id', '=', personId).execute();
      await forgetNotifications(trx, personId);
      await forgetCalendarLink(trx, personId);
      await trx.deleteFrom('api.idempotency').where('person_id', '=', personId).execute();
    });
    this.#announce({ personId });
  }

  // ---- sessions ------------------------------------------------------------------------------------

  async createSession(
    personId: string,
    userAgent: string | null,
  ): Promise<{ token: string; sessionId: string }> {
    const token = newSecret();
    const sessionId = randomUUID();
    const now = this.#o.clock();
    await this.#o.db
      .insertInto('auth.sessions')
      .values({
        session_id: sessionId,
        token_hash: digest(token),
        person_id: personId,
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + this.#o.sessionTtlMs),
        revoked_at: null,
        user_agent: userAgent?.slice(0, 500) ?? null,
      })
      .execute();
    return { token, sessionId };
  }

  /**
   * The principal of a session cookie, or null when it is unknown, revoked or expired. With `kept`, its
   * role is read from the states this process keeps: only for a command, whose append checks them. With
   * `claim`, the same statement takes that `Idempotency-Key` for the person, as `withIdempotency` would
   * (ADR 0043); `claimed` says whether it did (not when the key was already taken).
   */
  async resolveSession(
    token: string,
    options: { kept?: boolean; claim?: string } = {},
  ): Promise<{ principal: Principal; claimed: boolean } | null> {
    if (token.length < 20 || token.length > 100) return null;
    const now = this.#o.clock();
    const { claim } = options;
    const row =
      claim === undefined
        ? await this.#o.db
            .selectFrom('auth.sessions as s')
            .innerJoin('auth.people as p', 'p.person_id', 's.person_id')
            .selectAll('p')
            .select(['s.session_id', 's.last_seen_at', sql<boolean>`false`.as('claimed')])
            .where('s.token_hash', '=', digest(token))
            .where('s.revoked_at', 'is', null)
            .where('s.expires_at', '>', now)
            .executeTakeFirst()
        : (await sessionClaiming(this.#o.db, digest(token), claim, now)).rows[0];
    if (!row) return null;
    if (now.getTime() - new Date(row.last_seen_at).getTime() > 300_000) {
      await this.#o.db
        .updateTable('auth.sessions')
        .set({ last_seen_at: now })
        .where('session_id', '=', row.session_id)
        .execute();
    }
    return { principal: await this.principalOf(row, row.session_id, options.kept), claimed: row.claimed };
  }

  async signIn(email: string, password: string, userAgent: string | null) {
    const person = await this.personByEmail(email);
    const ok = await this.#o.passwords.verify(person?.password_hash ?? null, password);
    if (!person || !ok) throw new ProblemError('SIGN_IN_FAILED');
    const session = await this.createSession(person.person_id, userAgent);
    return { ...session, principal: await this.principalOf(person, session.sessionId) };
  }

  async revokeSession(personId: string, sessionId: string): Promise<boolean> {
    const result = await this.#o.db
      .updateTable('auth.sessions')
      .set({ revoked_at: this.#o.clock() })
      .where('session_id', '=', sessionId)
      .where('person_id', '=', personId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    const revoked = Number(result.numUpdatedRows) > 0;
    if (revoked) this.#announce({ sessionId });
    return revoked;
  }

  /** Calls `listener` when sessions end in this process (the live feed closes their sockets at once). */
  onSessionsEnded(listener: (ended: SessionsEnded) => void): () => void {
    this.#ended.add(listener);
    return () => this.#ended.delete(listener);
  }

  #announce(ended: SessionsEnded): void {
    for (const listener of this.#ended) {
      try {
        listener(ended);
      } catch (error) {
        this.#o.logger.warn({ err: error }, 'a sessions-ended listener failed');
      }
    }
  }

  /**
   * The principal of each session id that is still valid (not revoked, not expired), with the role its
   * person holds now; absent ids ended. One query for the sessions, then the roles (cached by version).
   */
  async principalsOfSessions(sessionIds: readonly string[]): Promise<Map<string, Principal>> {
    const principals = new Map<string, Principal>();
    for (let index = 0; index < sessionIds.length; index += 500) {
      const rows = await this.#o.db
        .selectFrom('auth.sessions as s')
        .innerJoin('auth.people as p', 'p.person_id', 's.person_id')
        .selectAll('p')
        .select('s.session_id')
        .where('s.session_id', 'in', sessionIds.slice(index, index + 500))
        .where('s.revoked_at', 'is', null)
        .where('s.expires_at', '>', this.#o.clock())
        .execute();
      for (const row of rows) principals.set(row.session_id, await this.principalOf(row, row.session_id));
    }
    return principals;
  }

  async sessions(personId: string) {
    return this.#o.db
      .selectFrom('auth.sessions')
      .selectAll()
      .where('person_id', '=', personId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', this.#o.clock())
      .orderBy('created_at', 'desc')
      .execute();
  }

  // ---- one-time links ------------------------------------------------------------------------------

  async issueToken(
    kind: 'invitation' | 'reset' | 'setup',
    personId: string | null,
    payload: unknown,
    ttlMs: number,
  ) {
    const token = newSecret();
    const now = this.#o.clock();
    const expiresAt = new Date(now.getTime() + ttlMs);
    await this.#o.db
      .insertInto('auth.tokens')
      .values({
        token_hash: digest(token),
        kind,
        person_id: personId,
        payload: JSON.stringify(payload),
        created_at: now,
        expires_at: expiresAt,
        used_at: null,
      })
      .execute();
    return { token, expiresAt };
  }

  /** A valid, unused token of `kind`, or a TOKEN_INVALID problem. */
  async peekToken(kind: 'invitation' | 'reset' | 'setup', token: string) {
    const row = await this.#o.db
      .selectFrom('auth.tokens')
      .selectAll()
      .where('token_hash', '=', digest(token))
      .where('kind', '=', kind)
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.#o.clock())
      .executeTakeFirst();
    if (!row) throw new ProblemError('TOKEN_INVALID');
    return {
      ...row,
      payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as unknown,
    };
  }

  /** Marks a token used; false when another request used it first. */
  async consumeToken(token: string): Promise<boolean> {
    const result = await this.#o.db
      .updateTable('auth.tokens')
      .set({ used_at: this.#o.clock() })
      .where('token_hash', '=', digest(token))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  link(path: string, token: string): string {
    const url = new URL(path, this.#o.publicUrl);
    url.searchParams.set('token', token);
    return url.toString();
  }

  /**
   * Makes a one-time invitation link and mails it. When mail does not reach people (no SMTP_URL) the link
   * is returned, for whoever invited to pass on; otherwise `link` is null.
   */
  async sendInvitation(
    payload: InvitationPayload,
    invitedBy: string,
  ): Promise<{ expiresAt: Date; link: string | null }> {
    const { token, expiresAt } = await this.issueToken(
      'invitation',
      payload.personId,
      payload,
      this.#o.invitationTtlMs,
    );
    const link = this.link('/invitations/accept', token);
    const what =
      payload.role === 'representative'
        ? `to represent your organization in the coalition`
        : payload.role === 'partner'
          ? `to take part for your organization in a partnership with the coalition`
          : `to join the coalition's Concord as ${payload.role}`;
    await this.#o.mailer.send({
      to: payload.email,
      subject: 'You are invited to Concord',
      text: `Hello ${payload.name},\n\n${invitedBy} invites you ${what}.\nOpen this link to accept (it works once): ${link}\n`,
      link,
    });
    return { expiresAt, link: this.#o.mailer.delivers ? null : link };
  }

  // ---- passwords -----------------------------------------------------------------------------------

  async setPassword(personId: string, password: string): Promise<void> {
    const hash = await this.#o.passwords.hash(password);
    await this.#o.db
      .updateTable('auth.people')
      .set({ password_hash: hash })
      .where('person_id', '=', personId)
      .execute();
  }

  /**
   * Asks for a reset link: the same work for every address (one outbox row), known or not, and the
   * request never waits for the mail. The sender makes the link with `passwordResetMail`.
   */
  async requestPasswordReset(email: string): Promise<void> {
    await this.#o.outbox.enqueue('passwordReset', email);
  }

  /**
   * The reset mail for `email`, made when the outbox sends it: null for an address without an account
   * (or without a password yet). Issuing a link voids every older reset link of that person.
   */
  async passwordResetMail(email: string): Promise<Mail | null> {
    const person = await this.personByEmail(email);
    if (!person?.password_hash) return null;
    await this.#voidResetLinks(person.person_id);
    const { token } = await this.issueToken(
      'reset',
      person.person_id,
      { personId: person.person_id },
      this.#o.resetTtlMs,
    );
    const link = this.link('/password-reset', token);
    return {
      to: email,
      subject: 'Reset your Concord password',
      text: `Hello ${person.name},\n\nOpen this link to choose a new password (it works once, for an hour): ${link}\nIf you did not ask for this, ignore this mail.\n`,
      link,
    };
  }

  /** Marks every unused reset link of a person used: only the newest link works, and none once one did. */
  async #voidResetLinks(personId: string): Promise<void> {
    await this.#o.db
      .updateTable('auth.tokens')
      .set({ used_at: this.#o.clock() })
      .where('kind', '=', 'reset')
      .where('person_id', '=', personId)
      .where('used_at', 'is', null)
      .execute();
  }

  async completePasswordReset(token: string, password: string): Promise<void> {
    const row = await this.peekToken('reset', token);
    if (!row.person_id || !(await this.consumeToken(token))) throw new ProblemError('TOKEN_INVALID');
    await this.#voidResetLinks(row.person_id);
    await this.setPassword(row.person_id, password);
    await this.#o.db
      .updateTable('auth.sessions')
      .set({ revoked_at: this.#o.clock() })
      .where('person_id', '=', row.person_id)
      .where('revoked_at', 'is', null)
      .execute();
    this.#announce({ personId: row.person_id });
  }

  // ---- first start ---------------------------------------------------------------------------------

  async hasFacilitator(): Promise<boolean> {
    const row = await this.#o.db
      .selectFrom('auth.people')
      .select('person_id')
      .where('staff_role', '=', 'facilitator')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** On a start without any facilitator: a one-time link to create the first one. */
  async setupLinkIfNeeded(): Promise<string | null> {
    const db = this.#o.db as unknown as Kysely<unknown>;
    return newSetupLink(db, { publicUrl: this.#o.publicUrl, clock: this.#o.clock });
  }

  async completeSetup(input: { token: string; email: string; name: string; password: string }) {
    await this.peekToken('setup', input.token);
    if (await this.hasFacilitator()) throw new ProblemError('ALREADY_SET_UP');
    if (await this.personByEmail(input.email)) throw new ProblemError('EMAIL_TAKEN');
    if (!(await this.consumeToken(input.token))) throw new ProblemError('TOKEN_INVALID');
    const person = await this.createPerson({ ...input, staffRole: 'facilitator' });
    return person;
  }
}

/**
 * The session lookup and an `Idempotency-Key`'s claim in one statement: the claim's row is written as
 * `withIdempotency` writes it (without waiting for its WAL flush, ADR 0019), its request's hash left empty
 * until the answer is stored, since the body has not been read yet.
 */
function sessionClaiming(db: ApiDb, tokenHash: string, key: string, now: Date) {
  return sql<PersonRow & { session_id: string; last_seen_at: Date; claimed: boolean }>`
    WITH lazily AS (SELECT set_config('synchronous_commit', 'off', true) AS value),
    session AS (
      SELECT p.*, s.session_id, s.last_seen_at FROM auth.sessions s
        JOIN auth.people p ON p.person_id = s.person_id
        WHERE s.token_hash = ${tokenHash} AND s.revoked_at IS NULL AND s.expires_at > ${now}::timestamptz
    ),
    claim AS (
      INSERT INTO api.idempotency (person_id, key, request_hash, state, created_at, updated_at)
      SELECT session.person_id, ${key}::text, '', 'pending', ${now}::timestamptz, ${now}::timestamptz
        FROM session, lazily
      ON CONFLICT (person_id, key) DO NOTHING RETURNING key
    )
    SELECT session.*, EXISTS (SELECT 1 FROM claim) AS claimed FROM session`.execute(db);
}
