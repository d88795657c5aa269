import { type LiveServerMessage, liveClientMessageSchema, liveCloseCodes } from '@concord/contracts';
import { type AuditEntry, type ReadModels, viewChangeKey } from '@concord/projections';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { AuthService, Principal } from '../auth/service.ts';
import type { Metrics } from '../metrics.ts';
import { mayListen, mayRead } from './permissions.ts';
import type { LiveBatch, LiveSource } from './source.ts';

export interface LiveOptions {
  /** Ping every socket this often; one that has not answered the previous ping is dropped. */
  heartbeatMs: number;
  /** A socket that sends no `resume` within this time is closed (4002). */
  resumeTimeoutMs: number;
  /** Bytes queued on a live socket beyond which it is closed as too slow (4008). */
  maxBufferedBytes: number;
  /** Entries held for a socket while it replays, beyond which it is closed as too slow (4008). */
  maxPendingEntries: number;
  /** How often every socket's session and role are checked again (revocations on other instances). */
  recheckMs: number;
  /** Audit entries read per replay query, and the most entries in one message. */
  pageSize: number;
  /** Sockets written to before the event loop is let go (other requests are served in between). */
  socketsPerTurn: number;
  /**
   * The shortest time between two deliveries to every socket. A batch that finds the feed idle goes out at
   * once; batches committed within this time of the last delivery wait and go out together, as one message
   * per socket. Each delivery costs a write on every socket, so under load this bounds that cost (to 1000 /
   * `minIntervalMs` deliveries a second) and leaves the event loop to the commands.
   */
  minIntervalMs: number;
}

export const defaultLiveOptions: LiveOptions = {
  heartbeatMs: 30_000,
  resumeTimeoutMs: 10_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxPendingEntries: 20_000,
  recheckMs: 60_000,
  pageSize: 500,
  socketsPerTurn: 1000,
  minIntervalMs: 40,
};

const TEXT = { binary: false } as const;
const CLOSE_REASONS = new Map<number, string>(
  Object.entries(liveCloseCodes).map(([name, code]) => [code as number, name]),
);

/** Event types after which the people of an organization may have lost their role. */
const REPRESENTATION_ENDS = new Set(['RepresentativeRemoved', 'MemberDeparted']);

interface Client {
  readonly ws: WebSocket;
  principal: Principal;
  state: 'waiting' | 'replaying' | 'live' | 'closed';
  /** The last position sent to this socket: everything up to it that the person may read was sent. */
  position: number;
  /** Batches announced while this socket replays, sent after the replay (each entry once). */
  pending: LiveBatch[];
  pendingEntries: number;
  alive: boolean;
  resumeTimer: NodeJS.Timeout | null;
}

/** One batch's messages, serialized once for every socket that may read all of it. */
interface Shared {
  readonly chunks: AuditEntry[][];
  readonly payloads: (Buffer | undefined)[];
}

/** A socket's state, read afresh (it changes while a replay awaits). */
function stateOf(client: Client): Client['state'] {
  return client.state;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function serialize(message: LiveServerMessage): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/** Consecutive batches as one: entries in order, each view change once, the last position. */
function merged(batches: LiveBatch[]): LiveBatch {
  if (batches.length === 1) return batches[0]!;
  const changes = new Map<string, LiveBatch['changes'][number]>();
  for (const batch of batches) {
    for (const change of batch.changes) {
      changes.set(viewChangeKey(change), change);
    }
  }
  return {
    entries: batches.flatMap((batch) => batch.entries),
    changes: [...changes.values()],
    position: batches[batches.length - 1]!.position,
  };
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  if (items.length <= size) return [items as T[]];
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/**
 * The live feed of one instance: its sockets, each driven from its own position. A socket that resumes
 * is registered for live batches first (they are held), then replays the audit trail from the read
 * models after its position, then gets the held batches — every entry with a position above what it
 * already has, so nothing is skipped and nothing is sent twice. Every entry and change goes through
 * `mayRead`. A batch is serialized once for all sockets that read all of it.
 */
export class LiveFeed {
  readonly #clients = new Set<Client>();
  readonly #queue: LiveBatch[] = [];
  readonly #options: LiveOptions;
  #draining = false;
  /** When the last delivery started (performance.now()); -Infinity before the first. */
  #lastDelivery = Number.NEGATIVE_INFINITY;
  #heartbeat: NodeJS.Timeout | null = null;
  #recheck: NodeJS.Timeout | null = null;
  #unsubscribeAuth: (() => void) | null = null;
  #started = false;

  constructor(
    private readonly deps: {
      source: LiveSource;
      models: () => ReadModels;
      auth: AuthService;
      metrics: Metrics;
      logger: FastifyBaseLogger;
      options?: Partial<LiveOptions>;
      /** Waits `ms` before the next delivery (a timer; tests hand in one they release themselves). */
      delay?: (ms: number) => Promise<void>;
    },
  ) {
    this.#options = { ...defaultLiveOptions, ...deps.options };
  }

  get size(): number {
    return this.#clients.size;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.deps.source.start((batch) => this.#enqueue(batch));
    this.#heartbeat = setInterval(() => this.#beat(), this.#options.heartbeatMs);
    this.#heartbeat.unref();
    this.#recheck = setInterval(() => void this.recheckSessions(), this.#options.recheckMs);
    this.#recheck.unref();
    this.#unsubscribeAuth = this.deps.auth.onSessionsEnded((ended) => {
      for (const client of this.#clients) {
        if (
          (ended.sessionId && client.principal.sessionId === ended.sessionId) ||
          (ended.personId && client.principal.personId === ended.personId)
        ) {
          this.#close(client, liveCloseCodes.sessionEnded, 'session ended; sign in again');
        }
      }
    });
  }

  /** Closes every socket ("going away": clients resume elsewhere or later) and stops following. */
  async stop(): Promise<void> {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    if (this.#recheck) clearInterval(this.#recheck);
    this.#heartbeat = this.#recheck = null;
    this.#unsubscribeAuth?.();
    this.#unsubscribeAuth = null;
    for (const client of this.#clients) {
      this.#close(client, liveCloseCodes.goingAway, `server shutting down; resume from ${client.position}`);
    }
    if (this.#started) await this.deps.source.stop();
    this.#started = false;
  }

  /** Whether this person has an open socket here (nothing is made for the live feed of nobody). */
  listening(personId: string): boolean {
    for (const client of this.#clients) {
      if (client.principal.personId === personId && client.state !== 'closed') return true;
    }
    return false;
  }

  /**
   * Sends a message to one person's sockets only (their notifications): never to anyone else's, whatever
   * they may read. Sockets still waiting for their `resume` get it too; it carries no position.
   */
  sendToPerson(personId: string, message: LiveServerMessage): void {
    let payload: Buffer | undefined;
    for (const client of this.#clients) {
      if (client.principal.personId !== personId || client.state === 'closed') continue;
      payload ??= serialize(message);
      this.#write(client, payload);
    }
  }

  /** Takes a socket whose upgrade passed the access check; it waits for the client's `resume`. */
  accept(ws: WebSocket, principal: Principal): void {
    const client: Client = {
      ws,
      principal,
      state: 'waiting',
      position: 0,
      pending: [],
      pendingEntries: 0,
      alive: true,
      resumeTimer: null,
    };
    this.#clients.add(client);
    this.deps.metrics.sockets.inc();
    client.resumeTimer = setTimeout(() => {
      if (client.state === 'waiting') this.#close(client, liveCloseCodes.noResume, 'send resume first');
    }, this.#options.resumeTimeoutMs);
    ws.on('pong', () => {
      client.alive = true;
    });
    ws.on('message', (data, isBinary) => this.#onMessage(client, data as Buffer, isBinary));
    ws.on('close', () => this.#forget(client));
    ws.on('error', () => this.#forget(client));
  }

  /**
   * Checks every socket's session and role again: a revoked or expired session, or a person who lost
   * their role, is closed (4001). Runs periodically (revocations on other instances) and before any
   * batch that ends a representation is delivered.
   */
  async recheckSessions(filter: (client: Client) => boolean = () => true): Promise<void> {
    const clients = [...this.#clients].filter((client) => client.state !== 'closed' && filter(client));
    if (clients.length === 0) return;
    try {
      const principals = await this.deps.auth.principalsOfSessions([
        ...new Set(clients.map((client) => client.principal.sessionId)),
      ]);
      for (const client of clients) {
        const principal = principals.get(client.principal.sessionId) ?? null;
        if (mayListen(principal)) client.principal = principal;
        else this.#close(client, liveCloseCodes.sessionEnded, 'session ended; sign in again');
      }
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'live feed: checking sessions failed');
    }
  }

  // ---- batches ---------------------------------------------------------------------------------------

  #enqueue(batch: LiveBatch): void {
    this.#queue.push(batch);
    if (!this.#draining) void this.#drain();
  }

  /**
   * Delivers batches in order, one after the other, at most one delivery per `minIntervalMs`; batches
   * that queued up meanwhile go out together (one message per socket instead of several), so a busy server
   * writes less, not more. Roles are checked first when a batch ends a representation.
   */
  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        const wait = this.#lastDelivery + this.#options.minIntervalMs - performance.now();
        if (wait > 0) await (this.deps.delay ?? pause)(wait);
        this.#lastDelivery = performance.now();
        const batch = merged(this.#queue.splice(0));
        const organizations = new Set<string>();
        for (const entry of batch.entries) {
          if (REPRESENTATION_ENDS.has(entry.type) && entry.organizationId)
            organizations.add(entry.organizationId);
        }
        if (organizations.size > 0) {
          await this.recheckSessions(
            (client) =>
              client.principal.organizationId !== null && organizations.has(client.principal.organizationId),
          );
        }
        await this.#deliver(batch);
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, 'live feed: delivering a batch failed');
    } finally {
      this.#draining = false;
    }
  }

  /**
   * Hands a batch to every socket, `socketsPerTurn` at a time: between slices the event loop serves
   * requests, so thousands of sockets never stall the API. Order per socket holds (batches are delivered
   * one after the other), and a socket that turns live between slices already read the batch in its replay.
   */
  async #deliver(batch: LiveBatch): Promise<void> {
    const started = performance.now();
    const shared: Shared = { chunks: chunked(batch.entries, this.#options.pageSize), payloads: [] };
    const clients = [...this.#clients];
    for (let index = 0; index < clients.length; index++) {
      if (index > 0 && index % this.#options.socketsPerTurn === 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      const client = clients[index]!;
      if (client.state === 'live') this.#send(client, batch, shared);
      else if (client.state === 'replaying') {
        // Held until the replay ends. (A socket still waiting for `resume` needs nothing: its replay starts
        // after this batch was committed, so it reads it from the read models.)
        client.pending.push(batch);
        client.pendingEntries += batch.entries.length;
        if (client.pendingEntries > this.#options.maxPendingEntries) this.#tooSlow(client);
      }
    }
    this.deps.metrics.liveFanout.observe((performance.now() - started) / 1000);
  }

  /** Sends the entries of `batch` above the socket's position that its person may read. */
  #send(client: Client, batch: LiveBatch, shared?: Shared, replay = false): void {
    if (batch.position <= client.position) return;
    const chunks = shared?.chunks ?? chunked(batch.entries, this.#options.pageSize);
    for (let index = 0; index < chunks.length; index++) {
      const chunk = chunks[index]!;
      const last = chunk[chunk.length - 1]!.position;
      if (last <= client.position) continue;
      const candidates = index === chunks.length - 1 ? batch.changes : [];
      const from = client.position;
      client.position = last;
      const principal = client.principal;
      const readable = (entry: AuditEntry) => entry.position > from && mayRead(principal, entry);
      let payload: Buffer;
      if (shared && chunk.every(readable) && candidates.every((change) => mayRead(principal, change))) {
        // The common case: the socket reads all of it, as every other such socket does.
        payload = shared.payloads[index] ??= serialize({
          type: 'events',
          position: last,
          replay,
          entries: chunk,
          changes: [...candidates],
        });
      } else {
        const entries = chunk.filter(readable);
        const changes = candidates.filter((change) => mayRead(principal, change));
        if (entries.length === 0 && changes.length === 0) continue;
        payload = serialize({ type: 'events', position: last, replay, entries, changes });
      }
      this.#write(client, payload);
      if (client.state === 'closed') return;
    }
  }

  #write(client: Client, payload: Buffer): void {
    client.ws.send(payload, TEXT);
    this.deps.metrics.liveMessages.inc();
    if (client.state === 'live' && client.ws.bufferedAmount > this.#options.maxBufferedBytes) {
      this.#tooSlow(client);
    }
  }

  // ---- a socket's life -------------------------------------------------------------------------------

  #onMessage(client: Client, data: Buffer, isBinary: boolean): void {
    client.alive = true;
    if (client.state === 'closed') return;
    let parsed: unknown;
    try {
      parsed = isBinary ? undefined : JSON.parse(data.toString('utf8'));
    } catch {
      parsed = undefined;
    }
    const message = liveClientMessageSchema.safeParse(parsed);
    if (!message.success) {
      this.#close(client, liveCloseCodes.badMessage, 'expected {"type":"resume","after":<position>}');
      return;
    }
    if (message.data.type === 'ping') {
      this.#write(client, serialize({ type: 'pong' }));
      return;
    }
    if (client.state !== 'waiting') {
      this.#write(
        client,
        serialize({ type: 'error', code: 'ALREADY_RESUMED', title: 'This socket already resumed.' }),
      );
      return;
    }
    if (client.resumeTimer) clearTimeout(client.resumeTimer);
    client.resumeTimer = null;
    void this.#replay(client, message.data.after);
  }

  /**
   * Replays the audit trail after `after` from the read models (paced by the socket's buffer), then sends
   * what was announced meanwhile, then `caughtUp`, and the socket is live. Registered (state `replaying`)
   * before the first read, so every batch is either in the read models when read or held.
   */
  async #replay(client: Client, after: number): Promise<void> {
    client.state = 'replaying';
    client.position = after;
    try {
      for (;;) {
        const { entries, next } = await this.deps
          .models()
          .auditTrail({ after: client.position, limit: this.#options.pageSize });
        if (stateOf(client) !== 'replaying') return;
        if (entries.length === 0) break;
        this.#send(
          client,
          { entries, changes: [], position: entries[entries.length - 1]!.position },
          undefined,
          true,
        );
        if (!(await this.#drained(client))) return;
        if (next === null) break;
      }
      if (stateOf(client) !== 'replaying') return;
      client.state = 'live';
      const held = client.pending;
      client.pending = [];
      client.pendingEntries = 0;
      for (const batch of held) {
        if (client.state !== 'live') return;
        this.#send(client, batch);
      }
      if (client.state === 'live')
        this.#write(client, serialize({ type: 'caughtUp', position: client.position }));
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'live feed: replay failed');
      this.#close(client, 1011, `replay failed; resume from ${client.position}`);
    }
  }

  /** Waits while a replaying socket's buffer is more than half full; false (and closed) when it stalls. */
  async #drained(client: Client): Promise<boolean> {
    const limit = this.#options.maxBufferedBytes / 2;
    const deadline = Date.now() + Math.max(30_000, this.#options.heartbeatMs);
    while (client.state === 'replaying' && client.ws.bufferedAmount > limit) {
      if (Date.now() > deadline) {
        this.#tooSlow(client);
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return client.state === 'replaying';
  }

  #tooSlow(client: Client): void {
    this.deps.logger.info(
      { personId: client.principal.personId, position: client.position },
      'live feed: socket too slow, closing',
    );
    this.#close(client, liveCloseCodes.tooSlow, `too slow; resume from ${client.position}`);
  }

  #beat(): void {
    for (const client of this.#clients) {
      if (!client.alive) {
        client.ws.terminate();
        this.#forget(client);
        continue;
      }
      client.alive = false;
      try {
        client.ws.ping();
      } catch {
        this.#forget(client);
      }
    }
  }

  /** Closes with a code and reason (sent after what is already queued); a socket that lingers is cut. */
  #close(client: Client, code: number, reason: string): void {
    if (client.state === 'closed') return;
    this.#forget(client);
    this.deps.metrics.liveClosed.inc({ reason: CLOSE_REASONS.get(code) ?? String(code) });
    try {
      client.ws.close(code, reason);
    } catch {
      client.ws.terminate();
      return;
    }
    setTimeout(() => client.ws.terminate(), 5_000).unref();
  }

  #forget(client: Client): void {
    if (client.state === 'closed') return;
    client.state = 'closed';
    client.pending = [];
    if (client.resumeTimer) clearTimeout(client.resumeTimer);
    if (this.#clients.delete(client)) this.deps.metrics.sockets.dec();
  }
}
