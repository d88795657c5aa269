import { type LiveServerMessage, liveServerMessageSchema } from '@concord/contracts';
import type { AuditEntry } from '@concord/projections';
import WebSocket from 'ws';
import type { PrincipalName, World } from './world.ts';

/** A live-feed client over a real socket: every message parsed with the contract, kept in order. */
export class FeedClient {
  readonly messages: LiveServerMessage[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(liveServerMessageSchema.parse(JSON.parse(String(data))));
      for (const wake of this.#waiters) wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const wake of this.#waiters) wake();
      });
    });
  }

  /** Opens a socket; resolves once open, or rejects with the HTTP status that refused the upgrade. */
  static open(url: string, headers: Record<string, string> = {}): Promise<FeedClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers });
      const client = new FeedClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_request, response) => {
        reject(
          Object.assign(new Error(`upgrade refused: ${response.statusCode}`), {
            status: response.statusCode,
          }),
        );
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  static async as(world: World, url: string, name: PrincipalName, headers: Record<string, string> = {}) {
    const cookie = await world.cookie(name);
    const token = cookie.concord_session;
    return FeedClient.open(url, token ? { cookie: `concord_session=${token}`, ...headers } : headers);
  }

  resume(after: number): void {
    this.ws.send(JSON.stringify({ type: 'resume', after }));
  }

  /** Every entry received, in order of arrival. */
  entries(): AuditEntry[] {
    return this.messages.flatMap((message) =>
      message.type === 'events' ? (message.entries as AuditEntry[]) : [],
    );
  }

  positions(): number[] {
    return this.entries().map((entry) => entry.position);
  }

  /** The last position a message said it covers (what a client would resume from). */
  lastPosition(): number {
    for (let index = this.messages.length - 1; index >= 0; index--) {
      const message = this.messages[index]!;
      if (message.type === 'events' || message.type === 'caughtUp') return message.position;
    }
    return 0;
  }

  async until(predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out; last position ${this.lastPosition()}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, 50);
        this.#waiters.add(wake);
      });
    }
  }

  caughtUp(): Promise<void> {
    return this.until(() => this.messages.some((message) => message.type === 'caughtUp'));
  }

  close(): void {
    this.ws.close();
  }
}

/** The whole audit trail from the read models, in order. */
export async function auditTrail(world: World): Promise<AuditEntry[]> {
  const models = world.app.readSide!.models;
  const all: AuditEntry[] = [];
  for (let after = 0; ; ) {
    const page = await models.auditTrail({ after, limit: 1000 });
    all.push(...page.entries);
    if (page.next === null) return all;
    after = page.next;
  }
}
