// A real Concord server for the benchmarks: PGlite in a temporary directory (the embedded default), or
// with `--postgres` a fresh database on the local PostgreSQL (TEST_DATABASE_URL); listening on a free
// port, with a founded coalition, one representative per organization and open proposals.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driverOf, openPglite, openPostgres, PostgresEventStore } from '@concord/event-store';
import { createTestDatabase } from '@concord/event-store/testing';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { buildServer, type ServerDependencies } from '../src/server.ts';
import { seedCoalition } from '../test/support/coalition.ts';

export interface BenchCoalition {
  app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  origin: string;
  database: 'pglite' | 'postgresql';
  /** The server's connections checked out of its pool and requests queued for one, now (PostgreSQL only). */
  pool: (() => { busy: number; waiting: number }) | null;
  representatives: { personId: string; organizationId: string; token: string }[];
  proposals: string[];
  /** A new session for representative `index` (each socket gets its own, as browsers would). */
  session(index: number): Promise<string>;
  close(): Promise<void>;
}

export async function benchCoalition(options: {
  organizations: number;
  proposals: number;
  postgres?: boolean;
  server?: Partial<ServerDependencies>;
}): Promise<BenchCoalition> {
  let db: Kysely<unknown>;
  let cleanup: () => Promise<void>;
  if (options.postgres) {
    const database = await createTestDatabase('concord_bench_api');
    db = openPostgres(database.url);
    cleanup = () => database.drop();
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'concord-bench-'));
    db = (await openPglite(join(dir, 'pg'))).db;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const store = new PostgresEventStore(db);
  await store.migrate();
  const app = await buildServer({
    store,
    db,
    logger: false,
    passwordCost: { memoryCost: 64, timeCost: 1 },
    schedulerIntervalMs: 3_600_000,
    ...options.server,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { auth } = app;
  const { representatives, proposals } = await seedCoalition(app, {
    organizations: options.organizations,
    proposals: options.proposals,
    // A week's feedback window: the proposals stay open for stances however long the bench runs.
    rules: {
      quorum: { numerator: 2, denominator: 3 },
      minimumFeedbackHours: 168,
      urgentPath: null,
      blockFallback: null,
      decideWhenAllHaveSpoken: false,
    },
  });
  await app.processes.execution.waitFor(await store.head());
  await app.readSide?.waitFor(await store.head(), 60_000);
  const port = (app.server.address() as AddressInfo).port;
  return {
    app,
    origin: `http://127.0.0.1:${port}`,
    database: options.postgres ? 'postgresql' : 'pglite',
    pool: (() => {
      const driver = driverOf(db);
      if (driver?.kind !== 'pg') return null;
      const { pool } = driver;
      return () => ({ busy: pool.totalCount - pool.idleCount, waiting: pool.waitingCount });
    })(),
    representatives,
    proposals,
    async session(index) {
      const rep = representatives[index % representatives.length]!;
      return (await auth.createSession(rep.personId, 'bench')).token;
    },
    async close() {
      await app.close();
      await store.close();
      await db.destroy();
      await cleanup();
    },
  };
}

/** The q-quantile of sorted numbers (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const round = (value: number) => Math.round(value * 100) / 100;
