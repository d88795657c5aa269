#!/usr/bin/env node
// Starts Concord: with no configuration, one process on PORT (3000) with PGlite under DATA_DIR (./data).
import { spawn } from 'node:child_process';
import { ensurePortalBuild } from '../portal/scripts/ensure-build.mjs';

// The portal is built once, and again only when its sources change.
try {
  ensurePortalBuild();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

// TypeScript runs through tsx's loader: no build step between a clone and a running Concord.
const child = spawn(
  process.execPath,
  ['--import', 'tsx', 'services/api/src/main.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
