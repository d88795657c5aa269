// How the portal's server side talks to the API. In the single process the API is this very process
// (API_URL defaults to http://127.0.0.1:$PORT); standalone, API_URL points at an API instance.
// The browser never calls these URLs for a page: the portal calls them, forwarding the person's
// session cookie (see handleFetch in hooks.server.ts).
//
// Paths and response types come from @concord/contracts' route table (`read(fetch, 'budget', …)`),
// so a renamed route or a changed response shape is a type error here, not a broken page.
import { type ResponseOf, type RouteId, routes } from '@concord/contracts';
import { error, redirect } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';

export function apiBase(): URL {
  return new URL(env.API_URL || `http://127.0.0.1:${env.PORT || 3000}`);
}

export function apiUrl(path: `/api/${string}`): string {
  return new URL(path, apiBase()).href;
}

/** True for requests to the API (so the session cookie may be forwarded), false for anything else. */
export function isApiRequest(url: string): boolean {
  const target = new URL(url);
  return target.origin === apiBase().origin && target.pathname.startsWith('/api/');
}

/** The API could not be reached at all (down, refused, timed out), as opposed to answering an error. */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
}

type Fetch = typeof fetch;

/**
 * Calls the API with SvelteKit's `fetch` (so handleFetch adds the cookie). Network failures become
 * `ApiUnreachableError`; HTTP errors come back as responses for the caller to read.
 */
export async function callApi(fetch: Fetch, path: `/api/${string}`, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has('accept')) headers.set('accept', 'application/json, application/problem+json');
  try {
    return await fetch(apiUrl(path), {
      ...init,
      headers,
      signal: init.signal ?? AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw new ApiUnreachableError(`The API at ${apiBase().origin} could not be reached`, { cause });
  }
}

/** An `application/problem+json` body (contracts' `Problem`), as far as it can be read. */
export interface Problem {
  status: number;
  /** The catalogue code (`REASON_REQUIRED`…); `UNREACHABLE` when the API could not be reached. */
  code: string;
  title?: string;
  detail?: string;
  details?: Record<string, unknown>;
  issues?: { location: string; path: string; message: string }[];
}

export async function readProblem(response: Response): Promise<Problem> {
  const problem: Problem = { status: response.status, code: `HTTP_${response.status}` };
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const { title, detail, code, details, issues } = body as Record<string, unknown>;
      if (typeof code === 'string') problem.code = code;
      if (typeof title === 'string') problem.title = title;
      if (typeof detail === 'string') problem.detail = detail;
      if (details && typeof details === 'object') problem.details = details as Record<string, unknown>;
      if (Array.isArray(issues)) problem.issues = issues as Problem['issues'];
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return problem;
}

/** The success body of a route, as the contracts declare it. */
export type Reply<Id extends RouteId> = ResponseOf<(typeof routes)[Id]>;

type QueryValue = string | number | boolean | null | undefined;

/** The API path of a route with its parameters filled in and an optional query string. */
export function routePath(
  id: RouteId,
  params: Record<string, string> = {},
  query: Record<string, QueryValue> = {},
): `/api/${string}` {
  const path = routes[id].path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${id}: missing path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return (text ? `${path}?${text}` : path) as `/api/${string}`;
}

/**
 * Reads a query route. A missing record is the page's 404; an expired session goes back to sign-in;
 * an unreachable API is a 503 the error page explains. Returns null for 404 when `optional` is set.
 */
export async function read<Id extends RouteId>(
  fetch: Fetch,
  id: Id,
  params?: Record<string, string>,
  query?: Record<string, QueryValue>,
): Promise<Reply<Id>> {
  const result = await readOptional(fetch, id, params, query);
  if (result === null) error(404, 'not_found');
  return result;
}

/**
 * Reads again, briefly, until `shown` holds: for what the next page needs right after a command, when a
 * loaded server's read models came up to date after the command's own bounded wait for them. Bounded
 * too (about 10 s): a stuck projector costs the person a short wait, never a hung page. The last read.
 */
export async function readUntilShown<T>(
  readOnce: () => Promise<T>,
  shown: (value: T) => boolean,
): Promise<T> {
  let value = await readOnce();
  for (let tries = 0; !shown(value) && tries < 40; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await readOnce();
  }
  return value;
}

export async function readOptional<Id extends RouteId>(
  fetch: Fetch,
  id: Id,
  params?: Record<string, string>,
  query?: Record<string, QueryValue>,
): Promise<Reply<Id> | null> {
  let response: Response;
  try {
    response = await callApi(fetch, routePath(id, params, query));
  } catch (failure) {
    if (failure instanceof ApiUnreachableError) {
      console.warn(`[portal] ${id}: ${failure.message}`);
      error(503, 'unavailable');
    }
    throw failure;
  }
  if (response.ok) return (await response.json()) as Reply<Id>;
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (response.status === 401) redirect(303, '/sign-in');
  if (response.status === 403) error(403, 'forbidden');
  const problem = await readProblem(response);
  console.warn(`[portal] ${id} answered ${response.status} ${problem.code}`);
  error(response.status === 503 ? 503 : 502, 'unexpected');
}

export type Sent<Id extends RouteId> =
  | { ok: true; status: number; body: Reply<Id>; response: Response }
  | { ok: false; problem: Problem };

/**
 * Sends a command (or any route that changes something) with a JSON body. Refusals come back as the
 * API's problem; an unreachable API as the problem `UNREACHABLE`. `key` becomes the Idempotency-Key on
 * routes that honour it, so a form posted twice on a slow link is applied once.
 */
export async function send<Id extends RouteId>(
  fetch: Fetch,
  id: Id,
  options: { params?: Record<string, string>; body?: unknown; key?: string | null } = {},
): Promise<Sent<Id>> {
  const route = routes[id];
  const headers = new Headers();
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (options.key && 'idempotent' in route && route.idempotent) headers.set('idempotency-key', options.key);
  let response: Response;
  try {
    response = await callApi(fetch, routePath(id, options.params), {
      method: route.method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch (failure) {
    if (failure instanceof ApiUnreachableError) {
      console.warn(`[portal] ${id}: ${failure.message}`);
      return { ok: false, problem: { status: 503, code: 'UNREACHABLE' } };
    }
    throw failure;
  }
  if (!response.ok) return { ok: false, problem: await readProblem(response) };
  const text = response.status === 204 ? '' : await response.text();
  return {
    ok: true,
    status: response.status,
    body: (text ? JSON.parse(text) : undefined) as Reply<Id>,
    response,
  };
}
