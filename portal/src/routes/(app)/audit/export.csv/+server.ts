import { exportTrail } from '$lib/server/export';
import type { RequestHandler } from './$types';

/** The audit trail (with the page's filters) as CSV, the CLI's columns. */
export const GET: RequestHandler = exportTrail('csv');
