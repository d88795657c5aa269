/**
 * `pnpm bench checkpoint [--events N] [--appends N] [--keep]`: the witnessed log on the local PostgreSQL.
 *
 * 1. leaves/s: building the log (every leaf and node, stored) from an existing history of N events
 *    (default 1,000,000), fed through the store's horizon-safe `readHashes` in pages of 20,000.
 * 2. proof times at N leaves: 1,000 inclusion proofs (random leaf, size N) and 1,000 consistency proofs
 *    (random sizes m < n ≤ N), each timed from the call to the proof in hand (one query each); p99.
 * 3. append_ratio: appends/s with the log kept over appends/s without it: 8 writers, `--appends` appends
 *    of one event each per round, rounds without, with, without, with. The log is kept as the server keeps
 *    it (services/api's WitnessedLog defaults): a feeder following the store (`log.follow`, a look every
 *    second), signing a checkpoint when at least 10 s passed since the last.
 *
 * The history is stored as rows (synthetic positions, streams and hashes): the log reads only positions
 * and hashes, so the payloads do not matter, and storing a million events through appends takes minutes
 * that are not what is measured. It lives in a database of its own, dropped at the end unless `--keep`.
 * Last line: one JSON object with the figures.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openPostgres, PostgresEventStore } from '@concord/event-store';
import { TEST_DATABASE_URL } from '@concord/event-store/testing';
import { sql } from 'kysely';
import pg from 'pg';
import { Ed25519Signer, TransparencyLog } from '../src/index.ts';

const { values } = parseArgs({
  options: { events: { type: 'string' }, appends: { type: 'string' }, keep: { type: 'boolean' } },
});
const EVENTS = Number(values.events ?? 1_000_000);
const APPENDS = Number(values.appends ?? 12_000);
const WRITERS = 8;
const log = (message: string) => process.stderr.write(`[bench checkpoint] ${message}\n`);

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

const name = `concord_bench_checkpoint_${EVENTS}`;
await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
await admin(`CREATE DATABASE ${name}`);
const url = withDatabase(TEST_DATABASE_URL, name);
const db = openPostgres(url, WRITERS + 2);
const store = new PostgresEventStore(db);
try {
  await store.migrate();
  const started = performance.now();
  // A history of N events: dense positions (all below the read horizon), 1,000 streams.
  await sql`
    INSERT INTO eventstore.events
      (global_position, stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash)
    SELECT gs, 'bench-' || (gs % 1000), gs / 1000 + 1, md5(gs::text)::uuid, 'BenchEvent', '{}'::json, '{}'::json,
      now(), sha256(int8send(gs))
    FROM generate_series(1, ${EVENTS}::bigint) gs`.execute(db);
  await sql`VACUUM ANALYZE eventstore.events`.execute(db);
  await sql`CHECKPOINT`.execute(db);
  log(`stored ${EVENTS} events in ${Math.round(performance.now() - started)} ms (not measured)`);

  // 1. Building the log from the history.
  const tlog = await TransparencyLog.open(db);
  const buildStart = performance.now();
  const { size } = await tlog.sync(store, { batchSize: 20_000 });
  const buildMs = performance.now() - buildStart;
  if (size !== EVENTS) throw new Error(`the log holds ${size} leaves, not ${EVENTS}`);
  const leavesPerS = Math.round(EVENTS / (buildMs / 1000));
  log(`built the log: ${EVENTS} leaves in ${Math.round(buildMs)} ms = ${leavesPerS} leaves/s`);

  // 2. Proofs at N leaves, served from the stored subtrees.
  const random = (n: number) => Math.floor(Math.random() * n);
  const inclusion: number[] = [];
  const consistency: number[] = [];
  for (let i = 0; i < 50; i++) await tlog.inclusionProof(random(EVENTS), EVENTS); // warm-up, untimed
  for (let i = 0; i < 1000; i++) {
    const index = random(EVENTS);
    const t = performance.now();
    await tlog.inclusionProof(index, EVENTS);
    inclusion.push(performance.now() - t);
  }
  for (let i = 0; i < 1000; i++) {
    const to = i % 2 === 0 ? EVENTS : 2 + random(EVENTS - 1);
    const from = 1 + random(to - 1);
    const t = performance.now();
    await tlog.consistencyProof(from, to);
    consistency.push(performance.now() - t);
  }
  const inclusionP99 = percentile(inclusion, 99);
  const consistencyP99 = percentile(consistency, 99);
  log(
    `inclusion proofs: p50 ${round3(percentile(inclusion, 50))} ms, p99 ${round3(inclusionP99)} ms; ` +
      `consistency proofs: p50 ${round3(percentile(consistency, 50))} ms, p99 ${round3(consistencyP99)} ms`,
  );

  // 3. Appends with the log kept and without.
  const signer = Ed25519Signer.generate('bench.example/checkpoint');
  async function appendRound(): Promise<number> {
    const per = Math.ceil(APPENDS / WRITERS);
    const t = performance.now();
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        const stream = `append-${randomUUID()}`;
        for (let i = 0; i < per; i++) {
          await store.append(
            stream,
            [{ id: randomUUID(), type: 'BenchAppended', data: { i }, metadata: {} }],
            {
              expectedVersion: i,
            },
          );
        }
      }),
    );
    return (per * WRITERS) / ((performance.now() - t) / 1000);
  }
  async function withLog(): Promise<number> {
    let checkpoints = 0;
    let lastSigned = Number.NEGATIVE_INFINITY;
    const follower = tlog.follow(store, {
      pollIntervalMs: 1_000,
      onSynced: async () => {
        if (performance.now() - lastSigned < 10_000) return;
        await tlog.checkpoint(signer, { origin: 'bench.example/checkpoint' });
        lastSigned = performance.now();
        checkpoints++;
      },
    });
    const rate = await appendRound();
    await follower.close();
    log(`  (the feeder signed ${checkpoints} checkpoints during the round)`);
    return rate;
  }
  await appendRound(); // warm-up, untimed
  const without: number[] = [];
  const withKept: number[] = [];
  for (let round = 0; round < 2; round++) {
    without.push(await appendRound());
    withKept.push(await withLog());
    log(
      `round ${round + 1}: ${Math.round(without.at(-1)!)} appends/s without the log, ${Math.round(withKept.at(-1)!)} with it`,
    );
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const appendRatio = Math.round((mean(withKept) / mean(without)) * 1000) / 1000;
  await tlog.sync(store);
  log(`the log ends at ${tlog.size} leaves`);

  console.log(
    JSON.stringify({
      bench: 'checkpoint',
      events: EVENTS,
      append_ratio: appendRatio,
      proof_ms_p99: round3(Math.max(inclusionP99, consistencyP99)),
      leaves_per_s: leavesPerS,
    }),
  );
} finally {
  await store.close();
  await db.destroy();
  if (!values.keep) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
