// How the portal's server side talks to the API. In the single process the API is this very process
// (API_URL defaults to http://127.0.0.1:$PORT); standalone, API_URL points at an API instance.
// The browser never calls these URLs for a page: the portal calls them, forwarding the person's
// session cookie (see handleFetch in hooks.server.ts).
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

/** An `application/problem+json` body, as far as it can be read. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
}

export async function readProblem(response: Response): Promise<Problem> {
  const problem: Problem = { status: response.status };
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object') {
      const { title, detail } = body as Record<string, unknown>;
      if (typeof title === 'string') problem.title = title;
      if (typeof detail === 'string') problem.detail = detail;
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return problem;
}
