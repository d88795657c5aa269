import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';

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

/** What a send that failed in the SMTP thread reports (nodemailer's error, as far as it can be copied). */
interface SendFailure {
  message: string;
  code?: string;
  responseCode?: number;
}

/**
 * Sends by SMTP when `SMTP_URL` is configured (e.g. smtps://user:pass@mail.example.org). Nodemailer reads
 * its transport options from the URL's query: `?pool=true&maxConnections=8` keeps connections open and
 * sends over several at once, which a server mailing many members needs (a new connection per mail costs
 * a handshake each; `pnpm bench notify` shows the difference).
 *
 * Nodemailer runs in a worker thread of its own (smtp-worker.mjs): building each message and the SMTP
 * round trips no longer share the server's thread, where a busy moment (with embedded PGlite, a burst of
 * queries answered without I/O) held every connection still for its whole length (ADR 0028). `send`
 * resolves once the relay accepted the mail, as before; a thread that died fails the sends it held (each
 * is retried like any failed send) and the next send starts a new one.
 */
export class SmtpMailer implements Mailer {
  readonly delivers = true;
  #worker: Worker | undefined;
  readonly #pending = new Map<
    number,
    { worker: Worker; resolve: () => void; reject: (error: Error) => void }
  >();
  #nextId = 0;
  constructor(
    private readonly url: string,
    private readonly from: string,
  ) {}

  #thread(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./smtp-worker.mjs', import.meta.url), {
      workerData: { url: this.url },
    });
    // An idle mailer does not keep the process alive (the server's own handles do while it runs).
    worker.unref();
    worker.on('message', (message: { type: 'sent' | 'failed'; id: number; error?: SendFailure }) => {
      const waiting = this.#pending.get(message.id);
      if (!waiting) return;
      this.#pending.delete(message.id);
      if (message.type === 'sent') return waiting.resolve();
      const failure = message.error ?? { message: 'the mail could not be sent' };
      waiting.reject(
        Object.assign(new Error(failure.message), { code: failure.code, responseCode: failure.responseCode }),
      );
    });
    const ended = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const [id, waiting] of this.#pending) {
        if (waiting.worker !== worker) continue;
        this.#pending.delete(id);
        waiting.reject(error);
      }
    };
    worker.on('error', ended);
    worker.on('exit', (code) => ended(new Error(`the SMTP thread ended (exit code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  send(mail: Mail): Promise<void> {
    const id = this.#nextId++;
    const options = {
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      ...(mail.headers ? { headers: mail.headers } : {}),
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
      ...(mail.icalEvent ? { icalEvent: { method: 'PUBLISH', ...mail.icalEvent } } : {}),
    };
    return new Promise<void>((resolve, reject) => {
      const worker = this.#thread();
      this.#pending.set(id, { worker, resolve, reject });
      // A thread with sends in hand keeps the process alive until they are answered.
      worker.ref();
      worker.postMessage({ type: 'send', id, options });
    }).finally(() => {
      if (this.#pending.size === 0) this.#worker?.unref();
    });
  }

  close(): void {
    const worker = this.#worker;
    this.#worker = undefined;
    worker?.postMessage({ type: 'close' });
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
