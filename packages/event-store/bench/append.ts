/**
 * `pnpm bench append`: Concord's PostgreSQL adapter against Emmett's and against raw INSERTs, on the
 * local PostgreSQL, each run of a workload in a fresh database. Last line: one JSON object with the
 * figures: each contender's throughput (median of five rounds), and beside it the latency of its appends
 * (p50 and p99 of every append of the five timed rounds, from the call to its answer, none left out),
 * since grouping appends trades one for the other.
 */
import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { openPostgresEventStore } from '../src/index.ts';
import { createTestDatabase } from '../test/support/index.ts';

const WRITERS = 16;
const STREAMS = 1000;
const workloads = {
  single: { events: 20_000, perAppend: 1 },
  batch: { events: 100_000, perAppend: 100 },
} as const;
type Workload = keyof typeof workloads;

interface Contender {
  /** Prepares a fresh store in `url`; returns an append function and a cleanup. */
  open(url: string): Promise<{
    append(
      stream: string,
      version: number,
      events: { id: string; type: string; data: Record<string, unknown> }[],
    ): Promise<void>;
    close(): Promise<void>;
  }>;
}

const makeEvent = (stream: number, n: number) => ({
  id: randomUUID(),
  type: 'BudgetLineAdjusted',
  data: {
    line: `line-${stream}`,
    amount: 125_000 + n,
    currency: 'USD',
    reason: 'Quarterly translation costs',
  },
});
const metadata = () => ({
  commandId: randomUUID(),
  correlationId: randomUUID(),
  actor: { personId: 'bench', organizationId: 'org-bench', role: 'system' },
  schemaVersion: 1,
});

const contenders: Record<string, Contender> = {};

contenders.concord = {
  async open(url) {
    const store = await openPostgresEventStore(url, { poolSize: WRITERS });
    return {
      async append(stream, version, events) {
        await store.append(
          stream,
          events.map((e) => ({ ...e, metadata: metadata() })),
          { expectedVersion: version },
        );
      },
      close: () => store.close(),
    };
  },
};

contenders.emmett = {
  async open(url) {
    const pool = new pg.Pool({ connectionString: url, max: WRITERS });
    pool.on('error', () => {});
    const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
    await store.schema.migrate();
    return {
      async append(stream, version, events) {
        await store.appendToStream(
          stream,
          events.map((e) => ({ type: e.type, data: e.data, metadata: metadata() })),
          { expectedStreamVersion: BigInt(version) },
        );
      },
      async close() {
        await store.close();
        await pool.end().catch(() => {});
      },
    };
  },
};

contenders.raw = {
  async open(url) {
    const pool = new pg.Pool({ connectionString: url, max: WRITERS });
    pool.on('error', () => {});
    await pool.query(`CREATE TABLE events (
      global_position bigserial PRIMARY KEY, stream_id text NOT NULL, stream_position bigint NOT NULL,
      event_id uuid NOT NULL, type text NOT NULL, data json NOT NULL, metadata json NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(), tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      hash bytea)`);
    return {
      async append(stream, version, events) {
        const values: unknown[] = [];
        const rows = events.map((e, i) => {
          values.push(
            stream,
            version + i + 1,
            e.id,
            e.type,
            JSON.stringify(e.data),
            JSON.stringify(metadata()),
          );
          const b = i * 6;
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
        });
        await pool.query(
          `INSERT INTO events (stream_id, stream_position, event_id, type, data, metadata) VALUES ${rows.join(', ')}`,
          values,
        );
      },
      close: () => pool.end(),
    };
  },
};

/**
 * Writes out what earlier runs left dirty, so no run pays for the one before it (a checkpoint landing in
 * the middle of a two-second run costs it dearly). Needs the right to CHECKPOINT; without it, runs go on.
 */
async function settle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CHECKPOINT');
  } catch {
    // Not a superuser (nor pg_checkpoint): the rounds and medians still even things out.
  } finally {
    await client.end();
  }
}

async function run(
  contender: Contender,
  workload: Workload,
  events: number = workloads[workload].events,
  latencies: number[] = [],
): Promise<number> {
  const { perAppend } = workloads[workload];
  const database = await createTestDatabase('concord_bench');
  try {
    const store = await contender.open(database.url);
    const versions = new Array<number>(STREAMS).fill(0);
    const busy = new Array<boolean>(STREAMS).fill(false);
    let next = 0;
    let remaining = events / perAppend;
    const writer = async () => {
      while (remaining > 0) {
        remaining--;
        // Round-robin over streams; a stream in use by another writer is skipped so versions stay known.
        let s = next++ % STREAMS;
        while (busy[s]) s = next++ % STREAMS;
        busy[s] = true;
        const batch = Array.from({ length: perAppend }, (_, i) => makeEvent(s, versions[s]! + i));
        const called = performance.now();
        await store.append(`bench-${s}`, versions[s]!, batch);
        latencies.push(performance.now() - called);
        versions[s]! += perAppend;
        busy[s] = false;
      }
    };
    await settle(database.url);
    const started = performance.now();
    await Promise.all(Array.from({ length: WRITERS }, writer));
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    return Math.round(events / seconds);
  } finally {
    await database.drop();
  }
}

/**
 * A run of 20,000 events lasts two or three seconds, so one run says as much about what else the machine
 * was doing as about the contender. Each workload is therefore run in rounds, the contenders in a
 * different order each round, and each contender's figure is its median round. Before the rounds, every
 * contender does a tenth of the workload untimed, so none is timed while its code is still cold.
 */
const ROUNDS = 5;
const names = Object.keys(contenders);
const results: Record<Workload, Record<string, number>> = { single: {}, batch: {} };
const latency: Record<Workload, Record<string, { p50: number; p99: number }>> = { single: {}, batch: {} };
/** The nearest-rank percentile of every sample, in milliseconds to a hundredth. */
const percentile = (sorted: readonly number[], p: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 100) / 100;
for (const workload of Object.keys(workloads) as Workload[]) {
  for (const name of names) await run(contenders[name]!, workload, workloads[workload].events / 10);
  const rates = new Map<string, number[]>(names.map((name) => [name, []]));
  const samples = new Map<string, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
      const rate = await run(contenders[name]!, workload, undefined, samples.get(name)!);
      rates.get(name)!.push(rate);
      console.error(
        `${workload.padEnd(6)} round ${round + 1} ${name.padEnd(7)} ${rate.toLocaleString('en')} events/s`,
      );
    }
  }
  for (const [name, list] of rates) {
    results[workload][name] = list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
    const sorted = samples.get(name)!.sort((a, b) => a - b);
    latency[workload][name] = { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    console.error(
      `${workload.padEnd(6)} ${name.padEnd(7)} append latency p50 ${latency[workload][name].p50} ms, p99 ${latency[workload][name].p99} ms (${sorted.length.toLocaleString('en')} appends)`,
    );
  }
}
const ratio = (w: Workload, a: string, b: string) => (results[w][a]! / results[w][b]!).toFixed(2);
console.error(
  `single: concord/emmett ${ratio('single', 'concord', 'emmett')} (target ≥ 2.0), concord/raw ${ratio('single', 'concord', 'raw')} (≥ 0.5)`,
);
console.error(
  `batch:  concord/emmett ${ratio('batch', 'concord', 'emmett')} (target ≥ 1.2), concord/raw ${ratio('batch', 'concord', 'raw')} (≥ 0.6)`,
);
const byContender = (workload: Workload, key: 'p50' | 'p99') =>
  Object.fromEntries(Object.entries(latency[workload]).map(([name, figures]) => [name, figures[key]]));
console.log(
  JSON.stringify({
    bench: 'append',
    unit: 'events/s',
    ...results,
    single_p50_ms: byContender('single', 'p50'),
    single_p99_ms: byContender('single', 'p99'),
    batch_p50_ms: byContender('batch', 'p50'),
    batch_p99_ms: byContender('batch', 'p99'),
  }),
);
