import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a run of the CLI printed, and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/**
 * Runs `concord <args>` as an operator would, in its own process, with no database configured but what
 * `env` gives (DATA_DIR, DATABASE_URL…).
 */
export function concord(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      env: { ...process.env, DATABASE_URL: '', EVENTSTORE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
