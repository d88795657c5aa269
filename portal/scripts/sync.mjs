#!/usr/bin/env node
// Generates what type checking needs before any build: Paraglide's message functions
// (src/lib/paraglide, git-ignored) and SvelteKit's types (.svelte-kit). Runs on install (`prepare`)
// and before `typecheck`; safe to run repeatedly.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const portal = dirname(dirname(fileURLToPath(import.meta.url)));
process.chdir(portal);

const { compile } = await import('@inlang/paraglide-js');
const { paraglideOptions } = await import('../paraglide.config.js');
await compile(paraglideOptions);

const svelteKit = join(portal, 'node_modules', '.bin', 'svelte-kit');
if (existsSync(svelteKit)) {
  const result = spawnSync(svelteKit, ['sync'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
