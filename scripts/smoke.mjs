#!/usr/bin/env node
// `node scripts/smoke.mjs`: starts Concord as the README's first command does (PGlite under a fresh
// DATA_DIR) with the Node that runs this script, and checks that it answers: ready, the sign-in page,
// the API document. The test command runs it on Node 24 from the npm registry's `node` package, so the
// Node lines the README names are each started at least once (the suite itself runs on the machine's).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const READY_WITHIN_MS = 180_000;

/** A port nobody listens on now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'concord-smoke-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ['scripts/start.mjs'], {
  env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, NODE_ENV: 'production' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
child.stdout.on('data', (chunk) => (output += chunk));
child.stderr.on('data', (chunk) => (output += chunk));
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

async function status(path) {
  try {
    return (await fetch(`${base}${path}`, { redirect: 'manual' })).status;
  } catch {
    return 0;
  }
}

let failure = null;
try {
  // Polls the server's readiness: it is another process, with nothing to wait on but its answers.
  const deadline = Date.now() + READY_WITHIN_MS;
  while ((await status('/health/ready')) !== 200) {
    if (child.exitCode !== null) throw new Error('Concord exited before it was ready');
    if (Date.now() > deadline) throw new Error(`not ready within ${READY_WITHIN_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  for (const [path, expected] of [
    ['/sign-in', 200],
    ['/api/openapi.json', 200],
    ['/api/proposals', 401],
  ]) {
    const got = await status(path);
    if (got !== expected) throw new Error(`GET ${path} answered ${got}, not ${expected}`);
  }
} catch (error) {
  failure = error;
} finally {
  child.kill('SIGTERM');
  const { code, signal } = await exited;
  if (!failure && code !== 0) failure = new Error(`Concord stopped with ${signal ?? `exit ${code}`}`);
  rmSync(dataDir, { recursive: true, force: true });
}
if (failure) {
  console.error(`[smoke] Node ${process.version}: ${failure.message}\n${output}`);
  process.exit(1);
}
console.log(`[smoke] Node ${process.version}: Concord started on PGlite, ready, and served its pages`);
