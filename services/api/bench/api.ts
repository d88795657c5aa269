// `pnpm bench api`: how many stance commands per second a real server answers with a p99 of at most
// 100 ms, on PGlite in a temporary directory (the embedded default) and then on the local PostgreSQL. A load
// generator in a separate process sends commands on a fixed schedule (open loop), each measured from its
// scheduled send time to its answer; the rate steps up (×1.25 from --start, and through issue 19's target
// for the store, 300/s on PGlite and 1,000/s on PostgreSQL, so a run says whether the target itself held)
// until a step's p99 passes 100 ms or a command fails. Each command returns once the read models include
// it (read-your-writes), as in production. Every command of a step counts, the slowest included. The
// server's CPU (share of one core) and peak RSS are sampled in its own process during each step, the
// generator's in its own, PostgreSQL's from its processes' /proc/<pid>/stat, and the whole machine's CPU
// (the generator and PostgreSQL share it) from /proc/stat, each as CPU milliseconds per
// command, and how late the server's event loop ran (a stall of its one thread, GC or a long synchronous
// task, shows there), and on PostgreSQL the most connections the server had checked out of its pool (of
// the default size, ADR 0035) and requests queued for one. Each store is measured in a process of its own
// (this script again, with --only), so neither server's figures carry the other's memory or garbage: a
// PGlite that ran first keeps its WebAssembly memory for the life of the process.
// Options: --start N per second (20), --seconds N per step (8), --organizations N (32),
// --only pglite|postgres.
// Last line: {"bench":"api","pglite_max_rate":N,"postgres_max_rate":N,"p99_ms_at_max":{…},
// "target_held":{"pglite":bool,"postgres":bool},"server":{…},"steps":{…}}
import { fork, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { type BenchCoalition, benchCoalition, quantile, round } from './coalition.ts';
import { option } from './options.ts';

const startRate = option('start', 20);
const seconds = option('seconds', 8);
const organizations = option('organizations', 32);
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const targetP99 = 100;
/** Issue 19's targets: the ladder of rates steps through them. */
const targetRate = { pglite: 300, postgres: 1000 };

/** The rate after `rate`: ×1.25, or the target when that steps over it. */
function nextRate(rate: number, target: number): number {
  const next = Math.round(rate * 1.25);
  return rate < target && next > target ? target : next;
}
const log = (message: string) => console.log(`[api] ${message}`);

interface StepAnswer {
  latencies: number[];
  statuses: Record<string, number>;
  sentOver: number;
  /** The generator's own CPU milliseconds during the step. */
  cpuMs: number;
}
interface StepResult {
  rate: number;
  commands: number;
  failed: number;
  p50_ms: number;
  p99_ms: number;
  server_cpu_pct: number;
  server_rss_mb: number;
  /** How late the server's event loop ran timers during the step (ms): a stall of its one thread shows here. */
  server_event_loop_delay_ms: { p99: number; max: number };
  /** PostgreSQL: the most pool connections checked out, and requests queued for one, sampled every 5 ms. */
  server_pool_max: { busy: number; waiting: number } | null;
  /** The machine's busy share of all its cores during the step (null where /proc/stat is missing). */
  machine_cpu_pct: number | null;
  /**
   * CPU milliseconds per command: the server's, the load generator's, PostgreSQL's (every `postgres`
   * process on the machine; null on PGlite, which runs inside the server) and the whole machine's.
   */
  cpu_ms_per_command: {
    server: number;
    generator: number;
    database: number | null;
    machine: number | null;
  };
  /** The server's mean time per command in each step (concord_command_step_seconds), in this step. */
  server_steps_ms: Record<string, number>;
}

/**
 * The whole machine's CPU time so far (Linux /proc/stat, in ms: busy and total, every core), or null
 * elsewhere. The load generator, the server and PostgreSQL share the machine: what a command costs them
 * all together is what bounds the rate here.
 */
function machineCpu(): { busy: number; total: number } | null {
  if (!existsSync('/proc/stat')) return null;
  // user nice system idle iowait irq softirq steal (guest and guest_nice after them are already counted in
  // user and nice); idle and iowait are not busy. A tick is 10 ms (USER_HZ 100).
  const ticks = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const total = ticks.reduce((sum, tick) => sum + tick, 0);
  const busy = total - (ticks[3] ?? 0) - (ticks[4] ?? 0);
  return { busy: busy * 10, total: total * 10 };
}

/**
 * CPU milliseconds used so far by each PostgreSQL process on this machine, by pid (Linux /proc/<pid>/stat,
 * utime and stime, in ticks of 10 ms), or null elsewhere.
 */
function databaseCpu(): Map<string, number> | null {
  if (!existsSync('/proc/self/stat')) return null;
  const byPid = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended since the directory was read
    }
    // pid (comm) state ppid …: comm may hold spaces, so the fields are read after its closing parenthesis.
    const close = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
    const fields = stat.slice(close + 2).split(' ');
    byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
  }
  return byPid;
}

/**
 * PostgreSQL's CPU milliseconds between two readings: each process's own, a process started meanwhile from
 * zero. A process that ended meanwhile is not counted (its time is gone from /proc; the server's pool keeps
 * its connections open, so that is rare).
 */
function databaseCpuBetween(before: Map<string, number>, after: Map<string, number>): number {
  let ms = 0;
  for (const [pid, used] of after) ms += used - (before.get(pid) ?? 0);
  return ms;
}

/** The step histogram's running sum (seconds) and count, by step. */
async function stepTotals(app: BenchCoalition['app']) {
  const totals = new Map<string, { sum: number; count: number }>();
  for (const value of (await app.metrics.commandSteps.get()).values) {
    const step = String(value.labels.step);
    const entry = totals.get(step) ?? { sum: 0, count: 0 };
    if (value.metricName?.endsWith('_sum')) entry.sum = value.value;
    else if (value.metricName?.endsWith('_count')) entry.count = value.value;
    else continue;
    totals.set(step, entry);
  }
  return totals;
}

/** Steps the rate up on one database; the steps run, the last one being the first that did not hold. */
async function measure(postgres: boolean): Promise<StepResult[]> {
  const coalition = await benchCoalition({ organizations, proposals: 8, postgres });
  const representatives = await Promise.all(
    coalition.representatives.map((_, index) => coalition.session(index)),
  );
  log(
    `server on ${coalition.origin} (${coalition.database}), ${organizations} organizations, ${seconds} s a step`,
  );
  const generator = fork(new URL('./api-load.mjs', import.meta.url), { execArgv: [] });
  const step = (rate: number, index: number, stepSeconds = seconds) =>
    new Promise<StepAnswer>((resolve) => {
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
  // A short step first, unmeasured: JIT, caches, connection pools.
  await step(startRate, 0, 2);
  const results: StepResult[] = [];
  const target = postgres ? targetRate.postgres : targetRate.pglite;
  for (let rate = startRate, index = 1; rate <= 5_000; rate = nextRate(rate, target), index++) {
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }, 200);
    // Only where there is a pool: a 5 ms timer would be one more thing on PGlite's server thread.
    const { pool } = coalition;
    const poolMax = pool ? { busy: 0, waiting: 0 } : null;
    const poolSampler =
      pool && poolMax
        ? setInterval(() => {
            const now = pool();
            poolMax.busy = Math.max(poolMax.busy, now.busy);
            poolMax.waiting = Math.max(poolMax.waiting, now.waiting);
          }, 5)
        : undefined;
    const stepsBefore = await stepTotals(coalition.app);
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const cpuBefore = process.cpuUsage();
    const machineBefore = machineCpu();
    const databaseBefore = postgres ? databaseCpu() : null;
    const wallBefore = performance.now();
    const answer = await step(rate, index);
    const cpu = process.cpuUsage(cpuBefore);
    const machineAfter = machineCpu();
    const databaseAfter = postgres ? databaseCpu() : null;
    const wall = performance.now() - wallBefore;
    const machine =
      machineBefore && machineAfter
        ? { busy: machineAfter.busy - machineBefore.busy, total: machineAfter.total - machineBefore.total }
        : null;
    const serverCpuMs = (cpu.user + cpu.system) / 1000;
    loopDelay.disable();
    clearInterval(sampler);
    clearInterval(poolSampler);
    const stepsAfter = await stepTotals(coalition.app);
    const sorted = [...answer.latencies].sort((a, b) => a - b);
    const failed = answer.latencies.length - (answer.statuses['201'] ?? 0);
    const result: StepResult = {
      rate,
      commands: answer.latencies.length,
      failed,
      p50_ms: round(quantile(sorted, 0.5)),
      p99_ms: round(quantile(sorted, 0.99)),
      server_cpu_pct: Math.round((100 * serverCpuMs) / wall),
      server_rss_mb: Math.round(peakRss / 1024 / 1024),
      server_event_loop_delay_ms: {
        p99: round(loopDelay.percentile(99) / 1e6),
        max: round(loopDelay.max / 1e6),
      },
      server_pool_max: poolMax,
      machine_cpu_pct: machine ? Math.round((100 * machine.busy) / machine.total) : null,
      cpu_ms_per_command: {
        server: round(serverCpuMs / answer.latencies.length),
        generator: round(answer.cpuMs / answer.latencies.length),
        database:
          databaseBefore !== null && databaseAfter !== null
            ? round(databaseCpuBetween(databaseBefore, databaseAfter) / answer.latencies.length)
            : null,
        machine: machine ? round(machine.busy / answer.latencies.length) : null,
      },
      server_steps_ms: Object.fromEntries(
        [...stepsAfter].map(([name, after]) => {
          const before = stepsBefore.get(name) ?? { sum: 0, count: 0 };
          const count = after.count - before.count;
          return [name, count > 0 ? round((1000 * (after.sum - before.sum)) / count) : 0];
        }),
      ),
    };
    results.push(result);
    log(
      `${coalition.database} ${rate}/s: ${result.commands} commands (statuses ${JSON.stringify(answer.statuses)}), ` +
        `p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms; server CPU ${result.server_cpu_pct}% of a core, ` +
        `machine ${result.machine_cpu_pct}% of ${availableParallelism()} cores, CPU ms a command ` +
        `${JSON.stringify(result.cpu_ms_per_command)}, ` +
        `RSS ${result.server_rss_mb} MB, event loop delay ${JSON.stringify(result.server_event_loop_delay_ms)} ms` +
        `${poolMax ? `, pool at most ${JSON.stringify(poolMax)}` : ''}; mean ms a step ${JSON.stringify(result.server_steps_ms)}`,
    );
    if (result.p99_ms > targetP99 || failed > 0) break;
  }
  generator.kill();
  await coalition.close();
  return results;
}

/** The last step that held: p99 within the target and no command failed. */
const held = (results: StepResult[]) =>
  results.filter((result) => result.p99_ms <= targetP99 && result.failed === 0).at(-1) ?? null;

/**
 * One store's steps, measured in a child process (this script with `--only`): its log lines pass through,
 * and its last line (this script's JSON) carries the steps.
 */
function measureApart(store: 'pglite' | 'postgres'): Promise<StepResult[]> {
  const args = process.argv
    .slice(2)
    .filter((arg, index, all) => arg !== '--only' && all[index - 1] !== '--only');
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args, '--only', store], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let last = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{')) last = line;
    else console.log(line);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || !last) reject(new Error(`the ${store} measurement exited with ${code}`));
      else resolve((JSON.parse(last) as { steps: Record<string, StepResult[]> }).steps[store]!);
    });
  });
}

const pgliteSteps = only === 'postgres' ? null : only ? await measure(false) : await measureApart('pglite');
const postgresSteps = only === 'pglite' ? null : only ? await measure(true) : await measureApart('postgres');
const pglite = pgliteSteps && held(pgliteSteps);
const postgresql = postgresSteps && held(postgresSteps);
/**
 * Whether the step at the target rate held: false when an earlier step broke, null where the store was not
 * measured or `--start` was above the target.
 */
const targetHeld = (steps: StepResult[] | null, rate: number) => {
  if (!steps || startRate > rate) return null;
  const step = steps.find((result) => result.rate === rate);
  return step !== undefined && step.p99_ms <= targetP99 && step.failed === 0;
};
log(
  `highest rate held (p99 ≤ ${targetP99} ms, no failure): ${[
    pgliteSteps && `PGlite ${pglite?.rate ?? 0}/s`,
    postgresSteps && `PostgreSQL ${postgresql?.rate ?? 0}/s`,
  ]
    .filter(Boolean)
    .join(', ')}`,
);
console.log(
  JSON.stringify({
    bench: 'api',
    pglite_max_rate: pglite?.rate ?? 0,
    postgres_max_rate: postgresql?.rate ?? 0,
    p99_ms_at_max: { pglite: pglite?.p99_ms ?? null, postgres: postgresql?.p99_ms ?? null },
    target_held: {
      pglite: targetHeld(pgliteSteps, targetRate.pglite),
      postgres: targetHeld(postgresSteps, targetRate.postgres),
    },
    server: { pglite, postgres: postgresql },
    steps: { pglite: pgliteSteps, postgres: postgresSteps },
  }),
);
process.exit(0);
