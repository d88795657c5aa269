/**
 * `pnpm bench replay [--events N] [--seed S] [--fresh]`: generates a realistic coalition history (the
 * seeded generator drives the domain's deciders), stores it on the local PostgreSQL and on PGlite, then
 * times a rebuild of every read model from zero on each (build, indexes and swap), each rebuild in its
 * own process so its peak memory is its own. Last line: one JSON object with the figures.
 *
 * Storing a million events takes minutes and is not what is measured, so the stored history is kept for
 * the next run with the same events and seed (database `concord_bench_replay_<events>_<seed>`, PGlite in
 * `bench-results/`); `--fresh` stores it again.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type AppendOptions,
  type EventStore,
  type NewEvent,
  openPglite,
  openPgliteEventStore,
  openPostgres,
  openPostgresEventStore,
} from '@concord/event-store';
import { TEST_DATABASE_URL } from '@concord/event-store/testing';
import { appendCoalition } from '@concord/generator';
import { type Kysely, sql } from 'kysely';

const { values } = parseArgs({
  options: { events: { type: 'string' }, seed: { type: 'string' }, fresh: { type: 'boolean' } },
});
const EVENTS = Number(values.events ?? 1_000_000);
const SEED = Number(values.seed ?? 2024);
if (!Number.isSafeInteger(EVENTS) || EVENTS < 1 || !Number.isSafeInteger(SEED)) {
  console.error('usage: pnpm bench replay [--events N] [--seed S] [--fresh]');
  process.exit(2);
}
const log = (message: string) => process.stderr.write(`[bench replay] ${message}\n`);

/** Appends every generated append to both stores, so the history is generated once. */
function tee(primary: EventStore, secondary: EventStore): EventStore {
  return {
    ...primary,
    async append(streamId: string, events: readonly NewEvent[], options?: AppendOptions) {
      const [result] = await Promise.all([
        primary.append(streamId, events, options),
        secondary.append(streamId, events, options),
      ]);
      return result;
    },
  };
}

interface RunResult {
  events: number;
  ms: number;
  peakRssMb: number;
}

function timedRebuild(target: 'postgres' | 'pglite', location: string): Promise<RunResult> {
  const script = fileURLToPath(new URL('./replay-run.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    // The young-generation size `pnpm concord` runs with (docs/adr/0004-projections-and-replay.md).
    const child = spawn(
      process.execPath,
      ['--max-semi-space-size=64', '--import', 'tsx', script, target, location],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`${target} rebuild failed (exit ${code})`));
      else resolve(JSON.parse(last) as RunResult);
    });
  });
}

const name = `concord_bench_replay_${EVENTS}_${SEED}`;
const url = (() => {
  const parsed = new URL(TEST_DATABASE_URL);
  parsed.pathname = `/${name}`;
  return parsed.toString();
})();
const pgliteDir = resolve('bench-results', `replay-pglite-${EVENTS}-${SEED}`);
const complete = join(pgliteDir, 'complete');

async function admin(statement: string): Promise<number> {
  const db = openPostgres(TEST_DATABASE_URL, 1);
  try {
    return (await sql.raw(statement).execute(db)).rows.length;
  } finally {
    await db.destroy();
  }
}

async function settle(db: Kysely<unknown>, checkpoint: boolean): Promise<void> {
  try {
    await sql.raw('VACUUM (ANALYZE) eventstore.events').execute(db);
    if (checkpoint) await sql.raw('CHECKPOINT').execute(db);
  } finally {
    await db.destroy();
  }
}

const cached =
  !values.fresh &&
  existsSync(complete) &&
  (await admin(`select 1 from pg_database where datname = '${name}'`)) === 1;
if (cached) {
  log(
    `reusing the ${EVENTS.toLocaleString('en')} events stored by an earlier run (--fresh to store them again)`,
  );
} else {
  await admin(`drop database if exists "${name}" with (force)`);
  await admin(`create database "${name}"`);
  rmSync(pgliteDir, { recursive: true, force: true });
  mkdirSync(pgliteDir, { recursive: true });
  log(`generating ${EVENTS.toLocaleString('en')} events (seed ${SEED}) into PostgreSQL and PGlite`);
  const postgres = await openPostgresEventStore(
    `${url}?options=${encodeURIComponent('-c synchronous_commit=off')}`,
  );
  const pglite = await openPgliteEventStore(join(pgliteDir, 'pg'));
  const started = Date.now();
  let reported = 0;
  const stored = await appendCoalition(
    tee(postgres, pglite),
    { events: EVENTS, seed: SEED },
    {
      concurrency: 8,
      onProgress(done) {
        if (done - reported >= 50_000) {
          reported = done;
          log(
            `  stored ${done.toLocaleString('en')} events (${Math.round((Date.now() - started) / 1000)} s)`,
          );
        }
      },
    },
  );
  log(
    `stored ${stored.events.toLocaleString('en')} events in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  await postgres.close();
  await pglite.close();
  // Settled as a store in use is (autovacuum's work, and none on PGlite, which has no background
  // workers): the rebuild is timed, not the aftermath of a bulk load that just finished.
  await settle(openPostgres(url, 1), true);
  await settle((await openPglite(join(pgliteDir, 'pg'))).db, false);
  writeFileSync(complete, `${stored.events}\n`);
}

log('rebuilding every read model on PostgreSQL');
const pgRun = await timedRebuild('postgres', url);
log(
  `  ${pgRun.events} events in ${(pgRun.ms / 1000).toFixed(1)} s: ${Math.round(pgRun.events / (pgRun.ms / 1000))} events/s, peak RSS ${pgRun.peakRssMb} MB`,
);
log('rebuilding every read model on PGlite');
const lite = await timedRebuild('pglite', join(pgliteDir, 'pg'));
log(
  `  ${lite.events} events in ${(lite.ms / 1000).toFixed(1)} s: ${Math.round(lite.events / (lite.ms / 1000))} events/s, peak RSS ${lite.peakRssMb} MB`,
);

console.log(
  JSON.stringify({
    bench: 'replay',
    events: pgRun.events,
    postgres_events_per_s: Math.round(pgRun.events / (pgRun.ms / 1000)),
    pglite_events_per_s: Math.round(lite.events / (lite.ms / 1000)),
    peak_rss_mb: Math.max(pgRun.peakRssMb, lite.peakRssMb),
    // Each rebuild's own process; PGlite's database runs inside its process (its WebAssembly heap).
    peak_rss_mb_by_store: { postgres: pgRun.peakRssMb, pglite: lite.peakRssMb },
  }),
);
