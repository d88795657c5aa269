import { resolve } from 'node:path';

/** Everything Concord reads from the environment, with the embedded defaults. */
export interface Config {
  port: number;
  host: string;
  /** Where PGlite keeps its files when no DATABASE_URL is given. */
  dataDir: string;
  /** A PostgreSQL server for events and read models; the embedded PGlite when absent. */
  databaseUrl: string | undefined;
  /** An EventStoreDB/KurrentDB cluster for events; the SQL database when absent. */
  eventStoreUrl: string | undefined;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    eventStoreUrl: env.EVENTSTORE_URL || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
