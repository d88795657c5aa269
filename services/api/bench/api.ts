// `pnpm bench api`: how many stance commands per second a real server (PGlite in a temporary directory, the
// embedded default; --postgres: the local PostgreSQL) answers with a p99 of at most 100 ms. A load
// generator in a separate process sends commands on a fixed schedule (open loop), each measured from its
// scheduled send time to its answer; the rate steps up (×1.25 from --start) until a step's p99 passes
// 100 ms or a command fails. Each command returns once the read models include it (read-your-writes), as
// in production. Every command of a step counts, the slowest included. The server's CPU (share of one
// core) and peak RSS are sampled in its own process during each step.
// Options: --start N per second (20), --seconds N per step (8), --organizations N (32), --postgres.
// Last line: {"bench":"api","database":…,"held_per_s":N,"p99_ms":N,"server_cpu_pct":N,"server_rss_mb":N,"steps":[…]}
import { fork } from 'node:child_process';
import { benchCoalition, quantile, round } from './coalition.ts';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
const startRate = option('start', 20);
const seconds = option('seconds', 8);
const organizations = option('organizations', 32);
const postgres = process.argv.includes('--postgres');
const targetP99 = 100;
const log = (message: string) => console.log(`[api] ${message}`);

const coalition = await benchCoalition({ organizations, proposals: 8, postgres });
const representatives = await Promise.all(
  coalition.representatives.map((_, index) => coalition.session(index)),
);
log(
  `server on ${coalition.origin} (${coalition.database}), ${organizations} organizations, ${seconds} s a step`,
);

const generator = fork(new URL('./api-load.mjs', import.meta.url), { execArgv: [] });
interface StepAnswer {
  latencies: number[];
  statuses: Record<string, number>;
  sentOver: number;
}
function step(rate: number, index: number, stepSeconds = seconds): Promise<StepAnswer> {
  return new Promise((resolve) => {
    generator.once('message', (answer) => resolve(answer as StepAnswer));
    generator.send({
      origin: coalition.origin,
      representatives,
      proposals: coalition.proposals,
      rate,
      seconds: stepSeconds,
      step: index,
    });
  });
}

interface StepResult {
  rate: number;
  commands: number;
  failed: number;
  p50_ms: number;
  p99_ms: number;
  server_cpu_pct: number;
  server_rss_mb: number;
}
// A short step first, unmeasured: JIT, caches, connection pools.
await step(startRate, 0, 2);
const results: StepResult[] = [];
for (let rate = startRate, index = 1; rate <= 5_000; rate = Math.round(rate * 1.25), index++) {
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 200);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const answer = await step(rate, index);
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - wallBefore;
  clearInterval(sampler);
  const sorted = [...answer.latencies].sort((a, b) => a - b);
  const failed = answer.latencies.length - (answer.statuses['201'] ?? 0);
  const result: StepResult = {
    rate,
    commands: answer.latencies.length,
    failed,
    p50_ms: round(quantile(sorted, 0.5)),
    p99_ms: round(quantile(sorted, 0.99)),
    server_cpu_pct: Math.round((100 * (cpu.user + cpu.system)) / 1000 / wall),
    server_rss_mb: Math.round(peakRss / 1024 / 1024),
  };
  results.push(result);
  log(
    `${rate}/s: ${result.commands} commands (statuses ${JSON.stringify(answer.statuses)}), p50 ${result.p50_ms} ms, ` +
      `p99 ${result.p99_ms} ms; server CPU ${result.server_cpu_pct}% of a core, RSS ${result.server_rss_mb} MB`,
  );
  if (result.p99_ms > targetP99 || failed > 0) break;
}
generator.kill();
await coalition.close();
const held = results.filter((result) => result.p99_ms <= targetP99 && result.failed === 0).at(-1);
log(
  held
    ? `highest rate held (p99 ≤ ${targetP99} ms, no failure): ${held.rate} commands/s`
    : `no rate held: even ${startRate}/s had a p99 over ${targetP99} ms or a failure`,
);
console.log(
  JSON.stringify({
    bench: 'api',
    database: coalition.database,
    held_per_s: held?.rate ?? 0,
    p99_ms: held?.p99_ms ?? null,
    server_cpu_pct: held?.server_cpu_pct ?? null,
    server_rss_mb: held?.server_rss_mb ?? null,
    steps: results,
  }),
);
process.exit(0);
