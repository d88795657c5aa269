import { json } from '@sveltejs/kit';
import { callApi } from '$lib/server/api';
import type { RequestHandler } from './$types';

/**
 * The latest replay check, for the audit page to follow while one runs (with JavaScript; without, a
 * reload shows the same). 204 before the first check.
 */
export const GET: RequestHandler = async ({ fetch }) => {
  const response = await callApi(fetch, '/api/audit/replays/current');
  if (response.status === 404) return new Response(null, { status: 204 });
  if (!response.ok) return new Response(null, { status: response.status === 401 ? 401 : 502 });
  return json(await response.json(), { headers: { 'cache-control': 'no-store' } });
};
