import type { FastifyBaseLogger } from 'fastify';
import { createTransport } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** The one-time link the mail carries, for the log in the embedded default. */
  link: string;
}

/** Sends the one-time links (invitations, password resets). */
export interface Mailer {
  /**
   * Whether mail reaches people. When it does not (no SMTP_URL), whoever invites someone is given the
   * link to pass on, and told so: the portal never claims a mail was sent when it was only logged.
   */
  readonly delivers: boolean;
  send(mail: Mail): Promise<void>;
}

/**
 * The embedded default, without SMTP_URL: nothing is mailed. Invitations hand their link to whoever
 * invited; the log keeps the link for whoever runs Concord, and never the address or the name (no
 * personal data in logs).
 */
export class LogMailer implements Mailer {
  readonly delivers = false;
  constructor(private readonly logger: FastifyBaseLogger) {}
  async send(mail: Mail): Promise<void> {
    this.logger.info(
      { subject: mail.subject, link: mail.link },
      'a one-time link was not mailed (no SMTP_URL)',
    );
  }
}

/** Sends by SMTP when `SMTP_URL` is configured (e.g. smtps://user:pass@mail.example.org). */
export class SmtpMailer implements Mailer {
  readonly delivers = true;
  readonly #transport;
  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.#transport = createTransport(url);
  }
  async send(mail: Mail): Promise<void> {
    await this.#transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }
}

/** Keeps mails in memory: tests read the links from here. */
export class MemoryMailer implements Mailer {
  readonly outbox: Mail[] = [];
  /** Tests of the "mail is off" path set this to false. */
  constructor(readonly delivers = true) {}
  async send(mail: Mail): Promise<void> {
    this.outbox.push(mail);
  }
  /** The token of the last link sent to `to`. */
  lastToken(to: string): string {
    const mail = this.outbox.findLast((candidate) => candidate.to === to);
    if (!mail) throw new Error(`no mail to ${to}`);
    return new URL(mail.link).searchParams.get('token') ?? '';
  }
}
