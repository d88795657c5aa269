import type { FastifyBaseLogger } from 'fastify';
import { createTransport } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** The one-time link the mail carries, for the log in the embedded default. */
  link: string;
  /** A light HTML part beside the plain text (notifications). */
  html?: string;
  /** Extra headers, e.g. `List-Unsubscribe` (RFC 8058). */
  headers?: Record<string, string>;
  /** A Message-ID fixed by what the mail is for, so a copy sent twice is recognisable as one. */
  messageId?: string;
  /** An iCalendar event (a deadline) mail clients can add to a calendar: sent as a `text/calendar` part. */
  icalEvent?: { filename: string; content: string };
}

/** Sends the one-time links (invitations, password resets). */
export interface Mailer {
  /**
   * Whether mail reaches people. When it does not (no SMTP_URL), whoever invites someone is given the
   * link to pass on, and told so: the portal never claims a mail was sent when it was only logged.
   */
  readonly delivers: boolean;
  send(mail: Mail): Promise<void>;
  /** Ends open connections (a pooled transport), once nothing is sent any more. */
  close?(): void;
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

/**
 * Sends by SMTP when `SMTP_URL` is configured (e.g. smtps://user:pass@mail.example.org). Nodemailer reads
 * its transport options from the URL's query: `?pool=true&maxConnections=8` keeps connections open and
 * sends over several at once, which a server mailing many members needs (a new connection per mail costs
 * a handshake each; `pnpm bench notify` shows the difference).
 */
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
    await this.#transport.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      ...(mail.headers ? { headers: mail.headers } : {}),
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
      ...(mail.icalEvent ? { icalEvent: { method: 'PUBLISH', ...mail.icalEvent } } : {}),
    });
  }
  close(): void {
    this.#transport.close();
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
  /** The token of the last one-time link sent to `to` (notification mails carry none: skipped). */
  lastToken(to: string): string {
    const mail = this.outbox.findLast(
      (candidate) => candidate.to === to && new URL(candidate.link).searchParams.has('token'),
    );
    if (!mail) throw new Error(`no mail to ${to}`);
    return new URL(mail.link).searchParams.get('token') ?? '';
  }
}
