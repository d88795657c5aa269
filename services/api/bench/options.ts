// The benchmarks' command-line options: `--name value` after `pnpm bench <name>`, or the default.

/** The number after `--name` on the command line; `fallback` when the option is not given. */
export function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** The text after `--name` on the command line; `fallback` when the option is not given. */
export function textOption(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? String(process.argv[index + 1]) : fallback;
}
