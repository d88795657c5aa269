// Starts the built portal standalone (`node build/index.js`) on a free port for a test or a benchmark.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildDir, ensurePortalBuild } from '../../scripts/ensure-build.mjs';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A URL where nothing listens: the API as it is when it's down (connection refused at once). */
export async function unreachableApiUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

export interface RunningPortal {
  url: string;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

export async function startPortal({ apiUrl }: { apiUrl: string }): Promise<RunningPortal> {
  ensurePortalBuild();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(buildDir, 'index.js')], {
    env: {
      ...process.env,
      CONCORD_PORTAL_HOST: '127.0.0.1',
      CONCORD_PORTAL_PORT: String(port),
      CONCORD_PORTAL_ORIGIN: url,
      API_URL: apiUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The portal exited (${child.exitCode}):\n${output}`);
    try {
      await fetch(`${url}/sign-in`, { signal: AbortSignal.timeout(2_000) });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`The portal did not start within 30 s:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  return {
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
