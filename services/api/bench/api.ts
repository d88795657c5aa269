// `pnpm bench api`: stance commands over HTTP from 32 concurrent clients for 20 s against a real server
// (PGlite in a temporary directory, the embedded default; --postgres: the local PostgreSQL). Each client is
// a different member organization's representative, taking and changing stances on 8 open proposals; each
// command returns once the read models include it (read-your-writes), as in production.
// Options: --clients N (32), --seconds N (20), --postgres.
// Last line: {"bench":"api","commands_per_s":N,"p99_ms":N}
import { benchCoalition, quantile, round } from './coalition.ts';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const clients = option('clients', 32);
const seconds = option('seconds', 20);
const postgres = process.argv.includes('--postgres');
const log = (message: string) => console.log(`[api] ${message}`);

const coalition = await benchCoalition({ organizations: clients, proposals: 8, postgres });
log(`server on ${coalition.origin} (${coalition.database}), ${clients} clients, ${seconds} s`);

const latencies: number[] = [];
const statuses = new Map<number, number>();
let stop = false;

async function client(index: number, measure: boolean): Promise<void> {
  const rep = coalition.representatives[index]!;
  for (let round = 0; !stop; round++) {
    const proposalId = coalition.proposals[(index + round) % coalition.proposals.length]!;
    const stance = round % 2 ? 'concerns' : 'consent';
    const started = performance.now();
    const response = await fetch(`${coalition.origin}/api/proposals/${proposalId}/stances`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `concord_session=${rep.token}` },
      body: JSON.stringify({ stance, reason: stance === 'consent' ? null : `round ${round}` }),
    });
    await response.arrayBuffer();
    // Every command sent in the measured run counts, those still in flight when it ends included: their
    // answers are the slowest, and dropping them would flatter the p99.
    if (!measure) continue;
    latencies.push(performance.now() - started);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  }
}

// Two seconds of warm-up (JIT, caches), then the measured run.
let run = Array.from({ length: clients }, (_, index) => client(index, false));
await new Promise((resolve) => setTimeout(resolve, 2_000));
stop = true;
await Promise.all(run);
stop = false;
const started = performance.now();
run = Array.from({ length: clients }, (_, index) => client(index, true));
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
stop = true;
await Promise.all(run);
// Until the last answer: the commands sent in the run over the time it took to answer them all.
const elapsed = (performance.now() - started) / 1000;

latencies.sort((a, b) => a - b);
const ok = statuses.get(201) ?? 0;
log(
  `${latencies.length} commands in ${elapsed.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
    `p50 ${round(quantile(latencies, 0.5))} ms, p90 ${round(quantile(latencies, 0.9))} ms, ` +
    `p99 ${round(quantile(latencies, 0.99))} ms, max ${round(latencies.at(-1) ?? Number.NaN)} ms`,
);
await coalition.close();
console.log(
  JSON.stringify({
    bench: 'api',
    commands_per_s: round(ok / elapsed),
    p99_ms: round(quantile(latencies, 0.99)),
  }),
);
process.exit(0);
