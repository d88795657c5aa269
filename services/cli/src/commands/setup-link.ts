import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newSetupLink, SETUP_LINK_FILE } from '@concord/api/setup-link';
import type { Target } from '../context.ts';
import { CliError, EXIT } from '../errors.ts';
import type { Output } from '../io.ts';

/**
 * While a server holds the embedded data folder, the CLI cannot open it: the link that server printed
 * (and kept beside its data) is shown instead, or null when it kept none.
 */
export function runningServerSetupLink(env: NodeJS.ProcessEnv): string | null {
  const file = join(env.DATA_DIR || './data', SETUP_LINK_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

/**
 * `concord setup-link`: a new one-time link to create the first facilitator, for whoever lost the one
 * the first start printed. Refused once a facilitator exists (they invite everyone else).
 */
export async function setupLink(target: Target, env: NodeJS.ProcessEnv, out: Output) {
  const publicUrl = env.PUBLIC_URL || `http://localhost:${env.PORT || 3000}`;
  const link = await newSetupLink(target.db, { publicUrl });
  if (!link) {
    throw new CliError('Concord already has a facilitator: ask them to invite you.', EXIT.failed);
  }
  out.write(`Open this link to create the first facilitator (it works once, for 24 hours):\n${link}\n`);
  return EXIT.ok;
}
