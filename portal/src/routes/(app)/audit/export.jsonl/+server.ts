import { exportTrail } from '$lib/server/export';
import type { RequestHandler } from './$types';

/** The audit trail (with the page's filters) as JSON lines. */
export const GET: RequestHandler = exportTrail('jsonl');
