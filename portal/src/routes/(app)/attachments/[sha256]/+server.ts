import { error } from '@sveltejs/kit';
import { callApi, readProblem } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The headers of the API's answer a download keeps: what it is, that it is a download, and its sandbox. */
const KEPT = [
  'content-type',
  'content-length',
  'content-disposition',
  'content-security-policy',
  'x-content-type-options',
  'cache-control',
];

/**
 * A document, for the signed-in person, streamed from the API with the API's headers (always a download,
 * sandboxed), so a plain link works without JavaScript. Whatever the API refuses (not signed in, not
 * yours to read, unknown) is the same refusal here.
 */
export const GET: RequestHandler = async ({ fetch, params, locals }) => {
  if (!locals.person) error(401, 'unauthenticated');
  if (!/^[0-9a-f]{64}$/.test(params.sha256)) error(404, 'not_found');
  const response = await callApi(fetch, `/api/attachments/${params.sha256}`, {
    headers: { accept: '*/*' },
    signal: AbortSignal.timeout(120_000),
  });
  if (!response.ok || !response.body) {
    const problem = await readProblem(response);
    error(problem.status === 404 ? 404 : problem.status, problem.status === 404 ? 'not_found' : problem.code);
  }
  const headers = new Headers();
  for (const name of KEPT) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(response.body, { headers });
};
