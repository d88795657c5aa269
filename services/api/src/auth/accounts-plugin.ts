import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LogMailer, type Mailer } from '../mail.ts';
import { MailOutbox } from '../mail-outbox.ts';
import { defaultPasswordCost, type PasswordCost, Passwords } from './secrets.ts';
import { AuthService } from './service.ts';

export interface AccountsOptions {
  mailer?: Mailer;
  passwordCost?: PasswordCost;
  /** Where people reach Concord: links in mails point there. */
  publicUrl: string;
  sessionTtlMs?: number;
}

/**
 * People's accounts, sessions and one-time links (`auth`), and the outbox their mails leave through
 * (`mailOutbox`, sent in the background from start-up to close). The HTTP side is `authPlugin`.
 */
export const accountsPlugin = fp(
  async (app: FastifyInstance, options: AccountsOptions) => {
    const mailer = options.mailer ?? new LogMailer(app.log);
    const outbox = new MailOutbox({
      db: app.apiDb,
      mailer,
      logger: app.log,
      clock: app.clock,
      metrics: app.metrics,
    });
    const auth = new AuthService({
      db: app.apiDb,
      facts: app.facts,
      passwords: new Passwords(options.passwordCost ?? defaultPasswordCost),
      mailer,
      outbox,
      logger: app.log,
      clock: app.clock,
      publicUrl: options.publicUrl,
      sessionTtlMs: options.sessionTtlMs,
    });
    outbox.register('passwordReset', (email) => auth.passwordResetMail(email));
    app.decorate('mailer', mailer);
    app.decorate('mailOutbox', outbox);
    app.decorate('auth', auth);
    app.addHook('onReady', async () => outbox.start());
    app.addHook('onClose', async () => {
      await outbox.stop();
      // A pooled SMTP transport (SMTP_URL with `pool=true`) keeps its connections open until told.
      (mailer as Mailer).close?.();
    });
  },
  { name: 'concord-accounts', dependencies: ['concord-foundation', 'concord-commands'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** Accounts, sessions, invitations and password resets (personal data stays here, ADR 0012). */
    auth: AuthService;
    /** How mail leaves (SMTP, or the log when there is no `SMTP_URL`). */
    mailer: Mailer;
    /** Mail waiting to leave (password resets, notifications, digests), sent in the background. */
    mailOutbox: MailOutbox;
  }
}
