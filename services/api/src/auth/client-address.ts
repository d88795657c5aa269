import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { digest } from './secrets.ts';

/**
 * The portal mounted in this process calls the API over HTTP on loopback, for the person in the
 * browser. It names that person's address in `CLIENT_HEADER`, and proves it is the mounted portal with
 * `FORWARDING_HEADER`: a secret drawn when this server was built, known only to code in this process
 * (the mount hands it to SvelteKit on each request; see portal/server-mount.ts and hooks.server.ts).
 * Nothing else is believed: X-Forwarded-For only from proxies listed in TRUST_PROXY (Fastify's
 * `request.ip`), which is off unless configured.
 */
export const FORWARDING_HEADER = 'x-concord-forwarding';
export const CLIENT_HEADER = 'x-concord-client';

export interface PortalForwarding {
  /** The per-process secret the mounted portal sends in `FORWARDING_HEADER`. */
  readonly secret: string;
  /** Whether a request carries the secret. */
  trusts(request: FastifyRequest): boolean;
}

export function portalForwarding(secret: string): PortalForwarding {
  const expected = Buffer.from(digest(secret), 'hex');
  return {
    secret,
    trusts(request) {
      const header = request.headers[FORWARDING_HEADER];
      if (typeof header !== 'string' || header.length === 0 || header.length > 200) return false;
      // Digests of equal length, compared in constant time.
      return timingSafeEqual(Buffer.from(digest(header), 'hex'), expected);
    },
  };
}

/**
 * The address of the person behind a request: the one the mounted portal forwards (with the secret),
 * else Fastify's `request.ip` (the connection's address, or X-Forwarded-For from a trusted proxy).
 */
export function clientAddress(request: FastifyRequest, forwarding: PortalForwarding): string {
  if (forwarding.trusts(request)) {
    const forwarded = request.headers[CLIENT_HEADER];
    if (typeof forwarded === 'string' && isIP(forwarded.trim())) return forwarded.trim();
  }
  return request.ip;
}
