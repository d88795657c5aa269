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

/** The embedded default: the link goes to the log, for whoever runs Concord to pass on. */
export class LogMailer implements Mailer {
  readonly delivers = false;
  constructor(private readonly logger: FastifyBaseLogger) {}
  async send(mail: Mail): Promise<void> {
    this.logger.info(
      { to: mail.to, subject: mail.subject, link: mail.link },
      `one-time link for ${mail.to}: ${mail.link}`,
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
