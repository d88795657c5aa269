import { isIPv6 } from 'node:net';
import { LRUCache } from 'lru-cache';

/** How many attempts a key may make in a window, and how long it waits once over. */
export interface Limit {
  max: number;
  windowMs: number;
  /** The first wait once over the limit (default: the window). */
  lockMs?: number;
  /** Each further lock waits twice as long as the one before, up to this (default: four windows). */
  maxLockMs?: number;
}

interface Entry {
  /** Times of the attempts still inside the window (at most `max`). */
  attempts: number[];
  lockedUntil: number;
  /** Locks so far: the next one waits `lockMs × 2^locks`. Forgotten after a quiet `maxLockMs`. */
  locks: number;
  lastSeen: number;
}

/**
 * Counts attempts per key (an e-mail address, a client address) in a sliding window. Once a key has
 * made `max` attempts in the window it is locked: refused without being tried, for `lockMs`, then twice
 * as long each time it locks again (exponential back-off), up to `maxLockMs`. In memory and per process:
 * several instances each keep their own counts (so the limits are per instance, which the ADR notes).
 * At most `capacity` keys are kept; the least recently seen go first.
 */
export class AttemptLimiter {
  readonly #entries: LRUCache<string, Entry>;
  readonly #lockMs: number;
  readonly #maxLockMs: number;

  constructor(
    private readonly limit: Limit,
    private readonly clock: () => Date,
    capacity = 100_000,
  ) {
    this.#entries = new LRUCache({ max: capacity });
    this.#lockMs = limit.lockMs ?? limit.windowMs;
    this.#maxLockMs = Math.max(limit.maxLockMs ?? 4 * limit.windowMs, this.#lockMs);
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    // Peeking: asking does not make a key recently seen, only an attempt does.
    const entry = this.#entries.peek(key);
    if (!entry) return 0;
    return Math.max(0, entry.lockedUntil - this.clock().getTime());
  }

  /** Counts an attempt of `key`; answers how long it is locked as a result (0: not locked). */
  hit(key: string): number {
    const now = this.clock().getTime();
    let entry = this.#entries.get(key);
    if (entry && now - entry.lastSeen > this.#maxLockMs + this.limit.windowMs && now >= entry.lockedUntil) {
      entry = undefined;
    }
    entry ??= { attempts: [], lockedUntil: 0, locks: 0, lastSeen: now };
    entry.lastSeen = now;
    entry.attempts = entry.attempts.filter((at) => now - at < this.limit.windowMs);
    entry.attempts.push(now);
    let locked = 0;
    if (entry.attempts.length >= this.limit.max) {
      locked = Math.min(this.#lockMs * 2 ** entry.locks, this.#maxLockMs);
      entry.lockedUntil = now + locked;
      entry.locks += 1;
      entry.attempts = [];
    }
    this.#entries.set(key, entry);
    return locked;
  }

  /** Forgets `key` (a successful sign-in clears its account's failures and back-off). */
  clear(key: string): void {
    this.#entries.delete(key);
  }
}

/**
 * The key of a client address for the limits: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64,
 * since one subscriber usually holds a whole /64.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group || '0', 16).toString(16))
    .join(':')}::/64`;
}
