import { json } from '@sveltejs/kit';
import { callApi } from '$lib/server/api';
import type { RequestHandler } from './$types';

/**
 * `GET /api/log` for the browser's own check ($lib/log-check), with "this server runs no log" as a 204
 * rather than the API's 503: the check runs on every visit, and a browser reports every failed request as
 * an error in its console, which would cry wolf on each page of a server that simply runs no log.
 */
export const GET: RequestHandler = async ({ fetch }) => {
  const response = await callApi(fetch, '/api/log');
  if (response.status === 503) {
    await response.body?.cancel();
    return new Response(null, { status: 204 });
  }
  if (!response.ok) return new Response(null, { status: response.status === 401 ? 401 : 502 });
  return json(await response.json(), { headers: { 'cache-control': 'no-store' } });
};
