import { isWellFormedText } from '@concord/contracts';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Issue, ProblemError } from '../errors.ts';

export interface SecurityOptions {
  /** Where people reach Concord: its origin may send changes, and https turns HSTS on. */
  publicUrl: string;
}

/** What an API answer may load or be framed by: nothing (JSON is not a page). */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * Whether a state-changing request may come from where it says it does. Browsers label every request:
 * `Sec-Fetch-Site` (same-origin, same-site, cross-site, none) and `Origin`. A page of the same site on
 * another port is "same-site" and gets SameSite=Lax cookies, so only Concord's own origin passes: the
 * browser's `same-origin` (or `none`: typed by the person), else an `Origin` equal to PUBLIC_URL's or to
 * the address the request itself was sent to. A client that sends neither (the CLI, curl, the portal's
 * server side) is not a browser acting for someone else and passes.
 */
export function sameOrigin(request: FastifyRequest, publicOrigin: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none';
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return origin === publicOrigin || origin === `${request.protocol}://${request.host}`;
}

/**
 * Longer than any list a request may carry (the domain's LIST_LIMITS go up to 1,000). A list is refused
 * before any schema walks it: validating 150,000 procedures in a proposal's payload (before the domain
 * bounded that list) held the event loop for most of a second.
 */
export const MAX_LIST = 2_000;

/**
 * The first thing in `value` that no schema should have to look at: a string (or key) that no database
 * could keep (a lone surrogate, NUL), or a list longer than `MAX_LIST`.
 */
export function malformedInput(value: unknown, location: string): Issue | null {
  interface Node {
    value: unknown;
    key: string;
    parent: Node | null;
  }
  const bad = (text: string) => text.includes('\u0000') || !isWellFormedText(text);
  const pathOf = (node: Node | null): string => {
    const keys: string[] = [];
    for (let at = node; at?.parent; at = at.parent) keys.push(at.key);
    return keys.reverse().join('.');
  };
  // Iterative, with parent links: a body nested 20,000 deep is walked without recursion or long paths.
  const stack: Node[] = [{ value, key: '', parent: null }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const current = node.value;
    // Raw bytes (an uploaded document) are not text: the attachments route checks them itself.
    if (current instanceof Uint8Array) continue;
    if (typeof current === 'string') {
      if (bad(current))
        return { location, path: pathOf(node), message: 'not well-formed text (a lone surrogate or NUL)' };
    } else if (Array.isArray(current)) {
      if (current.length > MAX_LIST)
        return { location, path: pathOf(node), message: `a list of at most ${MAX_LIST} items` };
      for (let index = current.length - 1; index >= 0; index--)
        stack.push({ value: current[index], key: String(index), parent: node });
    } else if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) {
        if (bad(key)) {
          return {
            location,
            path: pathOf({ value: child, key, parent: node }),
            message: 'a field name that is not well-formed text',
          };
        }
        stack.push({ value: child, key, parent: node });
      }
    }
  }
  return null;
}

/**
 * The API's border, in front of every route: security headers on every answer (helmet), the origin of
 * every state-changing request, and well-formed text and bounded lists anywhere in a request before any
 * schema looks.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance, options: SecurityOptions) => {
    const publicUrl = new URL(options.publicUrl);
    const https = publicUrl.protocol === 'https:';

    await app.register(helmet, {
      // The CSP is per kind of answer: API answers get API_CSP below, the docs page its own (docs.ts), and
      // the mounted portal's pages SvelteKit's (svelte.config.js).
      contentSecurityPolicy: false,
      frameguard: { action: 'deny' },
      strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      // The portal's pages name the same-origin referrer themselves; API answers need none.
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginEmbedderPolicy: false,
    });

    app.addHook('onRequest', async (request, reply) => {
      if (isApiPath(request.url)) reply.header('content-security-policy', API_CSP);
    });

    // Before the body is read (after the request and correlation ids are set, which the problem carries).
    app.addHook('preParsing', async (request) => {
      if (!isApiPath(request.url) || !STATE_CHANGING.has(request.method)) return;
      if (!sameOrigin(request, publicUrl.origin)) throw new ProblemError('CROSS_SITE_REQUEST');
    });

    app.addHook('preValidation', async (request) => {
      if (!isApiPath(request.url)) return;
      const issue =
        malformedInput(request.params, 'params') ??
        malformedInput(request.query, 'querystring') ??
        malformedInput(request.body, 'body');
      if (issue) throw new ProblemError('VALIDATION_FAILED', { issues: [issue] });
    });
  },
  { name: 'concord-security' },
);
