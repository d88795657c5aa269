/**
 * The `concord` command line as a function: `runConcord(argv, io)` parses the arguments, runs the command
 * on the store the environment names and returns the exit code, writing only to the outputs it is given.
 * `main.ts` runs it on the process's own; the tests run it in their process (starting Node for every call
 * cost more than most commands).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataFolderLockedError, lockDataFolder } from '@concord/event-store';
import { showAsOf, VIEW_NAMES, VIEWS } from './commands/as-of.ts';
import { backupFromTarget, backupThroughServer, restore } from './commands/backup.ts';
import { exportEvents } from './commands/export.ts';
import { generate, project, rebuildAll } from './commands/maintenance.ts';
import { migratePersonalData } from './commands/personal-data.ts';
import { replay } from './commands/replay.ts';
import { runningServerSetupLink, setupLink } from './commands/setup-link.ts';
import { verify } from './commands/verify.ts';
import { verifyOffline } from './commands/verify-offline.ts';
import { newWitnessKey, witness } from './commands/witness.ts';
import { openTarget, type Target } from './context.ts';
import { CliError, EXIT, reason, usage } from './errors.ts';
import { HELP } from './help.ts';
import type { CliIo } from './io.ts';
import { parseMoment } from './moment.ts';

/** Whether another process (a running server) holds the embedded data folder's lock. */
function folderHeld(dataDir: string): boolean {
  try {
    lockDataFolder(dataDir, { role: 'concord setup-link' }).release();
    return false;
  } catch (error) {
    if (error instanceof DataFolderLockedError) return true;
    throw error;
  }
}

function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw usage(`--${name} must be a whole number above 0, got "${value}"`);
  return Number(value);
}

/** Parses `argv` and runs its command; what stops it is thrown (a `CliError` says why, with its exit code). */
async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const { env, stdout: out, stderr } = io;
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    out.write(HELP);
    return command ? EXIT.ok : EXIT.usage;
  }
  type Options = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;
  const parse = (
    options: Options,
    allowPositionals = false,
  ): { values: Record<string, string | boolean | undefined>; positionals: string[] } => {
    try {
      return parseArgs({ args: rest, options, allowPositionals, strict: true }) as never;
    } catch (error) {
      throw usage(`${command}: ${(error as Error).message}`);
    }
  };
  let run: (target: Target) => Promise<number>;
  let create = false;
  let direct: (() => Promise<number>) | undefined;
  switch (command) {
    case 'replay': {
      const { values } = parse({ limit: { type: 'string' }, keep: { type: 'boolean' } });
      const limit = positiveInteger(values.limit as string | undefined, 'limit', 20);
      run = (target) => replay(target, { limit, keep: values.keep === true }, out, stderr);
      break;
    }
    case 'verify': {
      const { values } = parse({
        export: { type: 'string' },
        checkpoint: { type: 'string' },
        'trusted-keys': { type: 'string' },
        witnesses: { type: 'string' },
        'allow-unwitnessed': { type: 'boolean' },
      });
      const exportFile = values.export as string | undefined;
      if (exportFile === undefined) {
        if (Object.values(values).some((value) => value !== undefined))
          throw usage('verify --checkpoint, --trusted-keys and --witnesses go with --export FILE');
        run = (target) => verify(target, out);
        break;
      }
      const trustedKeysFile = values['trusted-keys'] as string | undefined;
      if (!trustedKeysFile)
        throw usage('verify --export needs --trusted-keys FILE (the log key, witness keys)');
      const witnesses =
        values.witnesses === undefined
          ? 1
          : /^\d{1,3}$/.test(values.witnesses as string)
            ? Number(values.witnesses)
            : NaN;
      if (Number.isNaN(witnesses))
        throw usage(`--witnesses must be a whole number, got "${values.witnesses}"`);
      direct = () =>
        verifyOffline(
          {
            exportFile,
            checkpointFile: values.checkpoint as string | undefined,
            trustedKeysFile,
            witnesses,
            allowUnwitnessed: values['allow-unwitnessed'] === true,
          },
          out,
        );
      run = async () => EXIT.usage;
      break;
    }
    case 'witness': {
      const { values } = parse({
        url: { type: 'string' },
        key: { type: 'string' },
        state: { type: 'string' },
        'log-key': { type: 'string' },
        'new-key': { type: 'string' },
        name: { type: 'string' },
      });
      const newKey = values['new-key'] as string | undefined;
      if (newKey !== undefined) {
        const name = values.name as string | undefined;
        if (!name)
          throw usage('witness --new-key FILE needs --name NAME (e.g. witness.your-organization.org)');
        direct = async () => newWitnessKey(newKey, name, out);
      } else {
        const url = (values.url as string | undefined) ?? env.PUBLIC_URL;
        const keyFile = values.key as string | undefined;
        const stateFile = values.state as string | undefined;
        const logKey = (values['log-key'] as string | undefined) ?? env.CONCORD_LOG_KEY;
        if (!url || !keyFile || !stateFile || !logKey)
          throw usage(
            'witness needs --url URL --key FILE --state FILE --log-key VKEY (or --new-key FILE --name NAME)',
          );
        direct = () => witness({ url, keyFile, stateFile, logKey, env }, out, stderr);
      }
      run = async () => EXIT.usage;
      break;
    }
    case 'export': {
      const { values } = parse({
        format: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
      });
      const format = values.format as string | undefined;
      if (format !== 'jsonl' && format !== 'csv' && format !== 'tar')
        throw usage('export needs --format jsonl, csv or tar');
      const from = values.from === undefined ? undefined : parseMoment(values.from as string, '--from');
      const to = values.to === undefined ? undefined : parseMoment(values.to as string, '--to');
      run = (target) => exportEvents(target, { format, from, to }, out, stderr);
      break;
    }
    case 'as-of': {
      const { values, positionals } = parse({ json: { type: 'boolean' } }, true);
      const [when, view, id, ...extra] = positionals;
      if (!when) throw usage(`as-of needs a time or a position, then a view: ${VIEWS}`);
      if (extra.length > 0) throw usage(`as-of: unexpected "${extra.join(' ')}"`);
      const moment = parseMoment(when, 'as-of');
      if (!view) throw usage(`as-of needs a view: ${VIEWS}`);
      if (!VIEW_NAMES.includes(view)) throw usage(`unknown view "${view}"; as-of shows ${VIEWS}`);
      run = (target) => showAsOf(target, moment, view, id, values.json === true, out);
      break;
    }
    case 'project':
      parse({});
      run = (target) => project(target, out);
      break;
    case 'rebuild':
      parse({});
      run = (target) => rebuildAll(target, out, stderr);
      break;
    case 'generate': {
      const { values } = parse({ events: { type: 'string' }, seed: { type: 'string' } });
      const events = positiveInteger(values.events as string | undefined, 'events', 20_000);
      const seed = positiveInteger(values.seed as string | undefined, 'seed', 1);
      create = true;
      run = (target) => generate(target, { events, seed }, out, stderr);
      break;
    }
    case 'migrate-personal-data':
      parse({});
      run = (target) => migratePersonalData(target, out, stderr);
      break;
    case 'setup-link': {
      parse({});
      run = (target) => setupLink(target, env, out);
      // A running embedded server holds the folder: show the link it printed and kept beside its data.
      const dataDir = resolve(env.DATA_DIR || './data');
      if (!env.DATABASE_URL && existsSync(join(dataDir, 'pg')) && folderHeld(dataDir)) {
        direct = async () => {
          const link = runningServerSetupLink(env);
          if (!link)
            throw new CliError(
              'the server holds the data folder and printed no set-up link (a facilitator exists?)',
              EXIT.unavailable,
            );
          out.write(
            `The running server printed this link to create the first facilitator (it works once):\n${link}\n`,
          );
          return EXIT.ok;
        };
      }
      break;
    }
    case 'backup': {
      const { values, positionals } = parse({ url: { type: 'string' } }, true);
      const [file, ...extra] = positionals;
      if (!file || extra.length > 0) throw usage('backup needs one FILE to write');
      const url = values.url as string | undefined;
      if (url) direct = () => backupThroughServer(url, file, env, out);
      const source = env.DATABASE_URL || env.EVENTSTORE_URL ? 'postgresql' : 'embedded';
      run = (target) => backupFromTarget(target, file, source, out);
      break;
    }
    case 'restore': {
      const { values, positionals } = parse({ 'expect-digest': { type: 'string' } }, true);
      const [file, ...extra] = positionals;
      if (!file || extra.length > 0) throw usage('restore needs one FILE to read');
      direct = () =>
        restore(
          file,
          env,
          () => openTarget(env, { create: true, command: 'concord restore' }),
          values['expect-digest'] as string | undefined,
          out,
        );
      run = async () => EXIT.usage;
      break;
    }
    default:
      throw usage(
        `unknown command "${command}" (try: replay, verify, witness, export, as-of, project, rebuild, generate, backup, restore, setup-link, migrate-personal-data; --help)`,
      );
  }
  if (direct) return direct();
  const target = await openTarget(env, { create, command: `concord ${command}` });
  try {
    return await run(target);
  } finally {
    await target.close();
  }
}

/**
 * Runs `concord <argv>` with `io`'s environment and outputs and returns its exit code (0 ok, 1 check failed,
 * 2 bad arguments, 3 store unavailable); a failure is one line on `io.stderr`, never a throw. Everything it
 * opens is closed before it returns, so the next run (in the same process) can open the same data folder.
 */
export async function runConcord(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`concord: ${error.message}\n`);
      return error.exitCode;
    }
    const { code } = error as { code?: string };
    const unreachable = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT';
    io.stderr.write(`concord: ${unreachable ? 'the store is unreachable: ' : ''}${reason(error)}\n`);
    return unreachable ? EXIT.unavailable : EXIT.failed;
  }
}
