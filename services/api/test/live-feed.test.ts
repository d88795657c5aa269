import { EventEmitter } from 'node:events';
import { type LiveServerMessage, liveCloseCodes, liveServerMessageSchema } from '@concord/contracts';
import { stanceTakenEntry as entry } from '@concord/contracts/testing';
import type { AuditEntry, ReadModels } from '@concord/projections';
import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { AuthService, Principal } from '../src/auth/service.ts';
import { LiveFeed, type LiveOptions } from '../src/live/feed.ts';
import { mayRead } from '../src/live/permissions.ts';
import type { LiveBatch, LiveSource } from '../src/live/source.ts';
import { createMetrics } from '../src/metrics.ts';

/** A socket the test controls: what was sent, how much is "buffered", how it was closed. */
class FakeSocket extends EventEmitter {
  readonly sent: LiveServerMessage[] = [];
  bufferedAmount = 0;
  /** Bytes each send adds to the buffer (a client that does not read). */
  stuck = false;
  closed: { code: number; reason: string } | null = null;
  terminated = false;
  pings = 0;
  /** A live browser answers each ping with a pong; a vanished one does not. */
  answersPings = true;
  #closedNow: () => void = () => {};
  #terminatedNow: () => void = () => {};
  /** Settles when the feed closes the socket (what a test waits on, rather than a guessed time). */
  readonly whenClosed = new Promise<void>((resolve) => {
    this.#closedNow = resolve;
  });
  /** Settles when the feed terminates the socket. */
  readonly whenTerminated = new Promise<void>((resolve) => {
    this.#terminatedNow = resolve;
  });
  send(data: Buffer): void {
    this.sent.push(liveServerMessageSchema.parse(JSON.parse(data.toString())));
    if (this.stuck) this.bufferedAmount += data.length;
  }
  close(code: number, reason: string): void {
    this.closed ??= { code, reason };
    this.#closedNow();
  }
  terminate(): void {
    this.terminated = true;
    this.#terminatedNow();
  }
  ping(): void {
    this.pings++;
    if (this.answersPings) setImmediate(() => this.emit('pong'));
  }
  receive(message: unknown): void {
    this.emit('message', Buffer.from(JSON.stringify(message)), false);
  }
  positions(): number[] {
    return this.sent.flatMap((m) => (m.type === 'events' ? m.entries.map((e) => e.position) : []));
  }
}

const reader: Principal = {
  personId: 'person',
  email: 'p@example.org',
  name: 'P',
  role: 'representative',
  organizationId: 'org',
  sessionId: 'session',
};

/** The read models' audit trail in memory, with a hook that runs while a page is being read. */
class FakeTrail {
  readonly entries: AuditEntry[] = [];
  duringRead: (() => void) | null = null;
  async auditTrail(filter: { after?: number; limit?: number }) {
    const after = filter.after ?? 0;
    const limit = filter.limit ?? 100;
    await new Promise((resolve) => setImmediate(resolve));
    const hook = this.duringRead;
    this.duringRead = null;
    hook?.();
    const found = this.entries.filter((e) => e.position > after).slice(0, limit + 1);
    const page = found.slice(0, limit);
    return { entries: page, next: found.length > limit ? page.at(-1)!.position : null };
  }
}

const silent = { info() {}, warn() {}, error() {}, debug() {} } as unknown as FastifyBaseLogger;

function setUp(options: Partial<LiveOptions> = {}, delay?: (ms: number) => Promise<void>) {
  const trail = new FakeTrail();
  let announce: (batch: LiveBatch) => void = () => {};
  const source: LiveSource = {
    async start(listener) {
      announce = listener;
    },
    async stop() {},
  };
  let ended: ((e: { sessionId?: string }) => void) | null = null;
  const auth = {
    onSessionsEnded(listener: (e: { sessionId?: string }) => void) {
      ended = listener;
      return () => {};
    },
    async principalsOfSessions() {
      return new Map([['session', reader]]);
    },
  } as unknown as AuthService;
  const metrics = createMetrics();
  const feed = new LiveFeed({
    source,
    models: () => trail as unknown as ReadModels,
    auth,
    metrics,
    logger: silent,
    // Deliveries go out as batches come unless a test spaces them.
    options: { heartbeatMs: 3_600_000, recheckMs: 3_600_000, pageSize: 3, minIntervalMs: 0, ...options },
    delay,
  });
  /** Commits entries to the trail, then announces them as one batch (the projector's order). */
  const commit = (...positions: number[]) => {
    const entries = positions.map((position) => entry(position));
    trail.entries.push(...entries);
    announce({ entries, changes: [{ view: 'proposal', id: 'p' }], position: positions.at(-1)! });
  };
  const connect = (principal: Principal = reader) => {
    const socket = new FakeSocket();
    feed.accept(socket as unknown as WebSocket, principal);
    return socket;
  };
  return { feed, trail, commit, connect, metrics, end: (sessionId: string) => ended?.({ sessionId }) };
}

/**
 * Lets the feed finish what the test set going: every step it takes here is a promise or a setImmediate
 * turn (the trail answers after one), so a fixed number of event-loop turns is enough, however busy the
 * machine (a 30 ms timer was not: under load it fired before the replay's pages were read).
 */
const settle = async () => {
  for (let turn = 0; turn < 200; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('the live feed hub', () => {
  let feeds: LiveFeed[] = [];
  afterEach(async () => {
    for (const feed of feeds) await feed.stop();
    feeds = [];
  });
  const make = (options?: Partial<LiveOptions>, delay?: (ms: number) => Promise<void>) => {
    const made = setUp(options, delay);
    feeds.push(made.feed);
    return made;
  };

  it('holds batches announced during the replay and sends each entry once, in order', async () => {
    const { feed, trail, commit, connect } = make();
    await feed.start();
    for (let p = 1; p <= 7; p++) commit(p * 10);
    const socket = connect();
    // While the first page is read, two more batches commit and are announced: the next pages read them
    // too, so the held copies must not be sent again.
    trail.duringRead = () => {
      commit(80, 90);
      commit(100);
    };
    socket.receive({ type: 'resume', after: 20 });
    await settle();
    commit(110, 120);
    await settle();
    expect(socket.positions()).toEqual([30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    const types = socket.sent.map((m) => (m.type === 'events' ? (m.replay ? 'replay' : 'live') : m.type));
    expect(types.indexOf('caughtUp')).toBeGreaterThan(0);
    expect(types.slice(types.indexOf('caughtUp') + 1)).toEqual(['live']);
    expect(socket.sent.find((m) => m.type === 'caughtUp')).toEqual({ type: 'caughtUp', position: 100 });
  });

  it('closes a client that does not read (4008, with the position to resume from) and keeps serving the others', async () => {
    const { feed, commit, connect, metrics } = make({ maxBufferedBytes: 2_000 });
    await feed.start();
    const fast = connect();
    const slow = connect();
    fast.receive({ type: 'resume', after: 0 });
    slow.receive({ type: 'resume', after: 0 });
    await settle();
    slow.stuck = true;
    for (let p = 1; p <= 40; p++) commit(p);
    await settle();
    expect(slow.closed?.code).toBe(liveCloseCodes.tooSlow);
    const resumeFrom = Number(/resume from (\d+)/.exec(slow.closed!.reason)?.[1]);
    expect(resumeFrom).toBe(slow.positions().at(-1));
    expect(fast.positions()).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(fast.closed).toBeNull();
    expect(feed.size).toBe(1);
    expect((await metrics.sockets.get()).values[0]?.value).toBe(1);
  });

  it('closes a client whose held batches overflow during a long replay (4008)', async () => {
    const { feed, trail, commit, connect } = make({ maxPendingEntries: 5 });
    await feed.start();
    const socket = connect();
    trail.duringRead = () => {
      for (let p = 1; p <= 10; p++) commit(p);
    };
    socket.receive({ type: 'resume', after: 0 });
    await settle();
    expect(socket.closed?.code).toBe(liveCloseCodes.tooSlow);
  });

  it('sends nothing that mayRead refuses, and nothing to a socket that never resumed', async () => {
    const { feed, commit, connect } = make({ resumeTimeoutMs: 50 });
    await feed.start();
    expect(mayRead(null, entry(1))).toBe(false);
    expect(mayRead({ ...reader, role: 'none' }, entry(1))).toBe(false);
    expect(mayRead({ ...reader, role: 'auditor' }, entry(1))).toBe(true);
    const roleLess = connect({ ...reader, role: 'none' });
    roleLess.receive({ type: 'resume', after: 0 });
    const silentOne = connect();
    await settle();
    commit(1, 2);
    await settle();
    expect(roleLess.positions()).toEqual([]);
    expect(silentOne.positions()).toEqual([]);
    await silentOne.whenClosed;
    expect(silentOne.closed?.code).toBe(liveCloseCodes.noResume);
    expect(roleLess.positions()).toEqual([]);
  });

  it('closes sockets of a session that ends, and drops a socket that stops answering pings', async () => {
    const { feed, connect, end } = make({ heartbeatMs: 20 });
    await feed.start();
    const socket = connect();
    socket.receive({ type: 'resume', after: 0 });
    await settle();
    end('session');
    expect(socket.closed?.code).toBe(liveCloseCodes.sessionEnded);
    // The first socket answered every ping, so a heartbeat that ran before the session ended (on a busy
    // machine 20 ms pass quickly) could not have terminated it instead.
    const dead = connect();
    dead.answersPings = false;
    dead.receive({ type: 'resume', after: 0 });
    // Two heartbeats: the first pings, the second finds no pong and terminates (however late they run).
    await dead.whenTerminated;
    expect(dead.pings).toBeGreaterThan(0);
    expect(dead.terminated).toBe(true);
  });

  it('lets the event loop go between slices of sockets, keeping each socket in order', async () => {
    const { feed, commit, connect } = make({ socketsPerTurn: 2 });
    await feed.start();
    const sockets = Array.from({ length: 5 }, () => connect());
    for (const socket of sockets) socket.receive({ type: 'resume', after: 0 });
    await settle();
    commit(1);
    commit(2, 3);
    expect(sockets.map((socket) => socket.positions().length)).toEqual([1, 1, 0, 0, 0]);
    await settle();
    for (const socket of sockets) expect(socket.positions()).toEqual([1, 2, 3]);
  });

  it('spaces deliveries under load: batches committed within the interval go out together, in order', async () => {
    const waits: { ms: number; release: () => void }[] = [];
    const delay = (ms: number) => new Promise<void>((release) => waits.push({ ms, release }));
    const { feed, commit, connect } = make({ minIntervalMs: 1_000 }, delay);
    await feed.start();
    const socket = connect();
    socket.receive({ type: 'resume', after: 0 });
    await settle();
    commit(1);
    await settle();
    // The feed was idle: the first batch went out at once.
    expect(socket.positions()).toEqual([1]);
    expect(waits).toEqual([]);
    commit(2);
    commit(3, 4);
    await settle();
    // Within the interval: held, and one wait of at most the interval was asked for.
    expect(socket.positions()).toEqual([1]);
    expect(waits.map((wait) => wait.ms > 0 && wait.ms <= 1_000)).toEqual([true]);
    waits[0]!.release();
    await settle();
    const live = socket.sent.filter((m) => m.type === 'events' && !m.replay);
    expect(live.map((m) => (m.type === 'events' ? m.entries.map((e) => e.position) : []))).toEqual([
      [1],
      [2, 3, 4],
    ]);
  });

  it('serializes a batch once for all sockets that read all of it', async () => {
    const { feed, commit, connect } = make();
    await feed.start();
    const sockets = [connect(), connect(), connect()];
    for (const socket of sockets) socket.receive({ type: 'resume', after: 0 });
    await settle();
    const seen = new Set<Buffer>();
    for (const socket of sockets) {
      const send = socket.send.bind(socket);
      socket.send = (data: Buffer) => {
        seen.add(data);
        send(data);
      };
    }
    commit(1, 2);
    expect(seen.size).toBe(1);
  });
});
