// Downloads: the API's exports passed through as they stream, so a long history never sits in the
// portal's memory. JSONL holds every event as stored (verifiable, like `concord export`); CSV is the audit
// trail with the page's filters, or a budget's lines and changes.
import { error, type RequestEvent } from '@sveltejs/kit';
import { callApi, readProblem } from './api';

const csvFilters = ['actor', 'organization', 'body', 'proposal', 'line', 'type', 'from', 'to'];
const jsonlFilters = ['from', 'to'];

export function exportTrail(format: 'csv' | 'jsonl') {
  return async ({ fetch, url, locals }: Pick<RequestEvent, 'fetch' | 'url' | 'locals'>) => {
    if (!locals.person) error(401, 'unauthenticated');
    const query = new URLSearchParams({ format });
    for (const name of format === 'csv' ? csvFilters : jsonlFilters) {
      const value = url.searchParams.get(name);
      if (value) query.set(name, value);
    }
    return download(fetch, `/api/export?${query}`);
  };
}

/**
 * An API download (an export, a budget's CSV) passed through as it streams, with its type and file name;
 * the API's problem when it refuses.
 */
export async function download(fetch: RequestEvent['fetch'], path: `/api/${string}`): Promise<Response> {
  // A long history takes a while on a slow line: no short timeout on the download.
  const response = await callApi(fetch, path, { signal: AbortSignal.timeout(3_600_000) });
  if (!response.ok || !response.body) {
    const problem = await readProblem(response);
    error(problem.status, problem.title ?? problem.code);
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const name of ['content-type', 'content-disposition']) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(response.body, { headers });
}
