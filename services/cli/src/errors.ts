/** A failure the CLI explains in one line, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Exit codes: 0 ok; 1 the check failed (differences, tampering); 2 bad arguments; 3 the store is unavailable. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unavailable: 3 } as const;

export const usage = (message: string) => new CliError(message, EXIT.usage);
export const unavailable = (message: string) => new CliError(message, EXIT.unavailable);

/** What went wrong, in one line: the error's message, else its code (a driver's bare ECONNREFUSED). */
export function reason(error: unknown): string {
  const { message, code } = (error ?? {}) as { message?: string; code?: string };
  return message || code || String(error);
}
