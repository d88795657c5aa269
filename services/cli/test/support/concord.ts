import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runConcord } from '../../src/cli.ts';

/** What a run of the CLI printed, and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** The environment a run sees: the test process's, with no database configured but what `env` gives. */
const environment = (env: Record<string, string | undefined>) => ({
  ...process.env,
  DATABASE_URL: '',
  EVENTSTORE_URL: '',
  ...env,
});

/** A stream that keeps every byte written to it (not a terminal, as when the output is piped). */
function capture() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Runs `concord <args>` as an operator would, with no database configured but what `env` gives
 * (DATA_DIR, DATABASE_URL…), and what it prints captured. It runs in this process, through the same
 * `runConcord` the binary calls (starting Node and tsx for every call took longer than most commands);
 * everything a run opens is closed before it returns. `concordProcess` runs the binary itself.
 */
export async function concord(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const stdout = capture();
  const stderr = capture();
  const code = await runConcord(args, {
    env: environment(env),
    stdout: stdout.stream,
    stderr: stderr.stream,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Runs `concord <args>` in its own process, the binary (src/main.ts) as `pnpm concord` starts it: for the
 * tests that the entry itself passes on the arguments, the outputs and the exit code.
 */
export function concordProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      env: environment(env),
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
