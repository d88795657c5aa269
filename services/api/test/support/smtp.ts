import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  /** The one-time link in the mail, if any. */
  link: string | null;
}

export interface LoopbackSmtp {
  url: string;
  /** Mails accepted so far (after the server's delayed answer). */
  readonly received: ReceivedMail[];
  /** Resolves once `count` mails have been accepted. */
  delivered(count: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
  /**
   * Dies mid-send: drops every open connection at once (a mail whose data was received but not yet
   * answered is not accepted, as with a relay that crashed) and stops listening.
   */
  kill(): Promise<void>;
}

/**
 * A real SMTP server on loopback (smtp-server) that answers slowly: its greeting and its answer to each
 * mail wait `delayMs`, like a distant or overloaded mail relay. Counts what it accepted.
 */
export async function loopbackSmtp(delayMs = 0, port = 0): Promise<LoopbackSmtp> {
  let killed = false;
  const received: ReceivedMail[] = [];
  const waiters: { count: number; resolve: (mails: ReceivedMail[]) => void }[] = [];
  const later = (callback: () => void) => (delayMs > 0 ? setTimeout(callback, delayMs) : callback());
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(_session, callback) {
      later(() => callback());
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        later(() => {
          if (killed) return;
          const raw = Buffer.concat(chunks).toString('utf8');
          // Quoted-printable soft line breaks ("=\r\n") would cut a long link.
          const flat = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
          const link = flat.match(/https?:\/\/\S+token=[A-Za-z0-9_-]+/)?.[0] ?? null;
          received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw, link });
          for (const waiter of [...waiters]) {
            if (received.length >= waiter.count) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(received.slice());
            }
          }
          callback();
        }),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    received,
    delivered(count) {
      if (received.length >= count) return Promise.resolve(received.slice());
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    kill() {
      killed = true;
      const connections = (server as unknown as { connections: Set<{ _socket?: { destroy(): void } }> })
        .connections;
      for (const connection of connections) connection._socket?.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
