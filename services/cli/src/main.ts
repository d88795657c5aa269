#!/usr/bin/env node
/**
 * `concord`: the auditors' command line. Works on the embedded data directory (DATA_DIR, default ./data)
 * or on DATABASE_URL / EVENTSTORE_URL. Exit codes: 0 ok, 1 check failed, 2 bad arguments, 3 store unavailable.
 * The commands are in cli.ts; this entry gives them the process's arguments, environment and outputs.
 */
import { runConcord } from './cli.ts';

process.exitCode = await runConcord(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
