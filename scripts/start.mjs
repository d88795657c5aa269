#!/usr/bin/env node
// Starts Concord: with no configuration, one process on PORT (3000) with PGlite under DATA_DIR (./data).
import { spawn } from 'node:child_process';

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
