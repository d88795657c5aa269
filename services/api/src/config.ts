import { resolve } from 'node:path';
import { eventStoreKind } from '@concord/event-store';

/** Everything Concord reads from the environment, with the embedded defaults. */
export interface Config {
  port: number;
  host: string;
  /** Where PGlite keeps its files when no DATABASE_URL is given. */
  dataDir: string;
  /** A PostgreSQL server for events and read models; the embedded PGlite when absent. */
  databaseUrl: string | undefined;
  /** Where the events are kept when not in the SQL database: EventStoreDB/KurrentDB, or another PostgreSQL. */
  eventStoreUrl: string | undefined;
  logLevel: string;
  /** Where people reach Concord (links in mails); http://localhost:PORT by default. */
  publicUrl: string;
  /** SMTP server for one-time links; logged when absent. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Run decision execution and scheduled decisions here (turn off on all but one API instance). */
  processSteps: boolean;
  /**
   * Run the projector here (turn off on all but one API instance sharing PostgreSQL read models: the others
   * serve queries from the shared tables and follow the projector's checkpoint for their live sockets).
   */
  projector: boolean;
  /** Serve the portal from this process (off when the portal runs on its own). */
  portal: boolean;
  /**
   * Proxies whose X-Forwarded-* headers are believed: none unless configured. The mounted portal does not
   * need this: it proves itself with a per-process secret (auth/client-address.ts).
   */
  trustProxy: boolean | string;
  /** Seed the demo coalition when the store is empty (`--demo` or CONCORD_DEMO=1). */
  demo: boolean;
  /** Scheduled backups: BACKUP_DIR, every BACKUP_EVERY (e.g. `6h`), the newest BACKUP_KEEP kept. Off by default. */
  backups: { dir: string; everyMs: number; keep: number } | undefined;
  /**
   * The witnessed log (ADR 0009). `origin` names the log and the coalition in every checkpoint
   * (`LOG_ORIGIN`, default `<host of PUBLIC_URL>/concord`; keep it forever). `privateKey`: the instance key
   * as a `PRIVATE+KEY+…` string (`LOG_PRIVATE_KEY`); without it the key is created on first start in
   * `DATA_DIR/keys/log.key` (mode 0600) and read from there afterwards. `originConfigured`: whether
   * `LOG_ORIGIN` was given; if not, a key file made earlier keeps the origin it was made with (the
   * default follows PUBLIC_URL, and a new port or address must not rename the coalition's log).
   */
  log: { origin: string; originConfigured: boolean; privateKey: string | undefined };
  /** The largest document accepted, in bytes (`ATTACHMENT_MAX_BYTES`, default 10 MiB; ADR 0025). */
  attachmentMaxBytes: number;
}

/** A duration such as `90s`, `15m`, `6h` or `1d`. */
export function durationMs(name: string, value: string): number {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(value.trim());
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount < 1)
    throw new Error(`${name} must be a duration such as 30m, 6h or 1d, got "${value}"`);
  return amount * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

function backupsOf(env: NodeJS.ProcessEnv): Config['backups'] {
  if (!env.BACKUP_DIR) {
    if (env.BACKUP_EVERY || env.BACKUP_KEEP) throw new Error('BACKUP_EVERY and BACKUP_KEEP need BACKUP_DIR');
    return undefined;
  }
  const keep = Number(env.BACKUP_KEEP ?? 7);
  if (!Number.isInteger(keep) || keep < 1)
    throw new Error(`BACKUP_KEEP must be a whole number ≥ 1, got "${env.BACKUP_KEEP}"`);
  return {
    dir: resolve(env.BACKUP_DIR),
    everyMs: durationMs('BACKUP_EVERY', env.BACKUP_EVERY ?? '1d'),
    keep,
  };
}

function logOf(env: NodeJS.ProcessEnv, publicUrl: string): Config['log'] {
  let host: string;
  try {
    host = new URL(publicUrl).host;
  } catch {
    throw new Error(`PUBLIC_URL must be a URL, got "${publicUrl}"`);
  }
  const origin = env.LOG_ORIGIN || `${host}/concord`;
  // A signed-note key name: no spaces, no plus sign (docs/verification.md §4).
  if (!/^[!-*,-~]{1,200}$/.test(origin))
    throw new Error(`LOG_ORIGIN must be 1 to 200 visible ASCII characters without "+", got "${origin}"`);
  const privateKey = env.LOG_PRIVATE_KEY?.trim() || undefined;
  if (privateKey && !privateKey.startsWith('PRIVATE+KEY+'))
    throw new Error('LOG_PRIVATE_KEY must be a PRIVATE+KEY+<name>+<keyid>+<key> string');
  return { origin, originConfigured: Boolean(env.LOG_ORIGIN), privateKey };
}

function onOff(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new Error(`${name} must be on or off, got "${value}"`);
}

function attachmentMaxBytesOf(value: string | undefined): number {
  if (value === undefined || value === '') return 10 * 1_048_576;
  const bytes = Number(value);
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1_073_741_824)
    throw new Error(`ATTACHMENT_MAX_BYTES must be a number of bytes from 1 to 1073741824, got "${value}"`);
  return bytes;
}

function trustProxyOf(value: string | undefined): boolean | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  return value;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv.slice(2),
): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const eventStoreUrl = env.EVENTSTORE_URL || undefined;
  if (eventStoreUrl && !eventStoreKind(eventStoreUrl))
    throw new Error('EVENTSTORE_URL must start with postgres://, esdb:// or kurrentdb://');
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    eventStoreUrl,
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl: env.PUBLIC_URL || `http://localhost:${port}`,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Concord <concord@localhost>',
    processSteps: env.PROCESS_STEPS !== 'off',
    projector: onOff('PROJECTOR', env.PROJECTOR, true),
    portal: onOff('PORTAL', env.PORTAL, true),
    trustProxy: trustProxyOf(env.TRUST_PROXY),
    demo: argv.includes('--demo') || onOff('CONCORD_DEMO', env.CONCORD_DEMO, false),
    backups: backupsOf(env),
    log: logOf(env, env.PUBLIC_URL || `http://localhost:${port}`),
    attachmentMaxBytes: attachmentMaxBytesOf(env.ATTACHMENT_MAX_BYTES),
  };
}
