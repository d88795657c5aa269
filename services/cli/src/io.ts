/**
 * Where the CLI writes: the process's stdout and stderr when run as `concord`, or streams a caller passes
 * (the tests capture them, running the CLI in their own process). `isTTY` only on a terminal, where
 * progress is redrawn in place.
 */
export type Output = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * What one run of the CLI reads and writes instead of the process's own: its environment (DATA_DIR,
 * DATABASE_URL…) and its two outputs. Nothing else of the process is read, so runs can follow one another
 * in one process.
 */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
}
