/**
 * `pnpm bench replay [--events N] [--seed S] [--fresh] [--only postgres|pglite]`: generates a realistic
 * coalition history (the seeded generator drives the domain's deciders), stores it on the local PostgreSQL
 * and on PGlite, then times a rebuild of every read model from zero on each (build, indexes and swap), each rebuild in its
 * own process so its peak memory is its own. Last line: one JSON object with the figures.
 *
 * Storing a million events takes minutes and is not what is measured, so the stored history is kept for
 * the next run with the same events and seed (database `concord_bench_replay_<events>_<seed>`, PGlite in
 * `bench-results/`); `--fresh` stores it again. `--only` stores and rebuilds on one of the two (a history of
 * ten million events takes tens of gigabytes per store); the other's figures are then null.
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
  options: {
    events: { type: 'string' },
    seed: { type: 'string' },
    fresh: { type: 'boolean' },
    only: { type: 'string' },
  },
});
const EVENTS = Number(values.events ?? 1_000_000);
const SEED = Number(values.seed ?? 2024);
const ONLY = values.only;
if (
  !Number.isSafeInteger(EVENTS) ||
  EVENTS < 1 ||
  !Number.isSafeInteger(SEED) ||
  (ONLY !== undefined && ONLY !== 'postgres' && ONLY !== 'pglite')
) {
  console.error('usage: pnpm bench replay [--events N] [--seed S] [--fresh] [--only postgres|pglite]');
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
    // Node's flags as `pnpm concord` sets them: V8's default young generation (ADR 0041).
    const child = spawn(process.execPath, ['--import', 'tsx', script, target, location], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
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
type Target = 'postgres' | 'pglite';
const targets: Target[] = ONLY ? [ONLY as Target] : ['postgres', 'pglite'];
const results = resolve('bench-results', `replay-${EVENTS}-${SEED}`);
const pgliteDir = join(results, 'pglite');
/** Written once a store holds the whole history, settled. */
const storedMark = (target: Target) => join(results, `stored-${target}`);

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

async function isStored(target: Target): Promise<boolean> {
  if (values.fresh || !existsSync(storedMark(target))) return false;
  return target === 'pglite' || (await admin(`select 1 from pg_database where datname = '${name}'`)) === 1;
}

const toStore: Target[] = [];
for (const target of targets) if (!(await isStored(target))) toStore.push(target);
if (toStore.length < targets.length) {
  log(
    `reusing the ${EVENTS.toLocaleString('en')} events an earlier run stored (--fresh to store them again)`,
  );
}
if (toStore.length > 0) {
  mkdirSync(results, { recursive: true });
  const opened: EventStore[] = [];
  for (const target of toStore) {
    rmSync(storedMark(target), { force: true });
    if (target === 'postgres') {
      await admin(`drop database if exists "${name}" with (force)`);
      await admin(`create database "${name}"`);
      opened.push(
        await openPostgresEventStore(`${url}?options=${encodeURIComponent('-c synchronous_commit=off')}`),
      );
    } else {
      rmSync(pgliteDir, { recursive: true, force: true });
      mkdirSync(pgliteDir, { recursive: true });
      opened.push(await openPgliteEventStore(join(pgliteDir, 'pg')));
    }
  }
  log(`generating ${EVENTS.toLocaleString('en')} events (seed ${SEED}) into ${toStore.join(' and ')}`);
  const started = Date.now();
  let reported = 0;
  const stored = await appendCoalition(
    opened.length === 2 ? tee(opened[0]!, opened[1]!) : opened[0]!,
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
  for (const store of opened) await store.close();
  // Settled as a store in use is (autovacuum's work, and none on PGlite, which has no background
  // workers): the rebuild is timed, not the aftermath of a bulk load that just finished.
  for (const target of toStore) {
    if (target === 'postgres') await settle(openPostgres(url, 1), true);
    else await settle((await openPglite(join(pgliteDir, 'pg'))).db, false);
    writeFileSync(storedMark(target), `${stored.events}\n`);
  }
}

const rate = (run: RunResult) => Math.round(run.events / (run.ms / 1000));
const runs: Partial<Record<Target, RunResult>> = {};
for (const target of targets) {
  log(`rebuilding every read model on ${target === 'postgres' ? 'PostgreSQL' : 'PGlite'}`);
  // What an earlier rebuild or the storing left for the server to write (gigabytes of pages) is written
  // now, not during the timed rebuild.
  if (target === 'postgres') await admin('CHECKPOINT');
  const run = await timedRebuild(target, target === 'postgres' ? url : join(pgliteDir, 'pg'));
  log(
    `  ${run.events} events in ${(run.ms / 1000).toFixed(1)} s: ${rate(run)} events/s, peak RSS ${run.peakRssMb} MB`,
  );
  runs[target] = run;
}

console.log(
  JSON.stringify({
    bench: 'replay',
    events: (runs.postgres ?? runs.pglite)?.events,
    postgres_events_per_s: runs.postgres ? rate(runs.postgres) : null,
    pglite_events_per_s: runs.pglite ? rate(runs.pglite) : null,
    peak_rss_mb: Math.max(...targets.map((target) => runs[target]?.peakRssMb ?? 0)),
    // Each rebuild's own process; PGlite's database runs inside its process (its WebAssembly heap).
    peak_rss_mb_by_store: {
      postgres: runs.postgres?.peakRssMb ?? null,
      pglite: runs.pglite?.peakRssMb ?? null,
    },
  }),
);
