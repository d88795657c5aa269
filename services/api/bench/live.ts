// `pnpm bench live`: 1,000 authenticated WebSocket clients on the live feed of a real server (PGlite in a
// temporary directory, or the local PostgreSQL with --postgres), stance commands over HTTP at a fixed
// open-loop rate, and the latency from each command's scheduled send time to its entry arriving at every
// client: what the other members see after one member acts (a send the process was late for counts). Every (command, client) delivery counts: one that never
// arrives within the timeout (15 s), or arrives later, counts as the timeout; a command the server refused
// counts as missed at every client. Nothing is floored or left out.
// The clients run in two worker threads and the command sender in a third (as separate machines would,
// they work in parallel with the server; the log says how busy each thread was); times are wall-clock
// milliseconds (performance.timeOrigin + performance.now()) in every thread.
// The server is warmed up first at the same rate (--warmup-seconds, 3 s: JIT, PGlite's WebAssembly tiers,
// connection pools); those commands are sent and delivered like the others but not in the headline, which
// is what a server that has been running meets. The log gives the figures with them counted too.
// Options: --clients N (1000), --commands N (1000), --rate N per second (100), --warmup-seconds N (3),
// --postgres.
// Last line: {"bench":"live","clients":1000,"rate":100,"p50_ms":N,"p99_ms":N,"missed":N,"warmup_commands":N,
// "p99_ms_with_warmup":N}
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { benchCoalition, quantile, round } from './coalition.ts';
import { option } from './options.ts';

const clients = option('clients', 1000);
const commands = option('commands', 1000);
const rate = option('rate', 100);
const timeoutMs = 15_000;
const warmup = Math.round(rate * option('warmup-seconds', 3));
const workers = 2;
const postgres = process.argv.includes('--postgres');
const now = () => performance.timeOrigin + performance.now();
const log = (message: string) => console.log(`[live] ${message}`);

const coalition = await benchCoalition({ organizations: 50, proposals: 5, postgres });
log(
  `server on ${coalition.origin} (${coalition.database}), ${coalition.representatives.length} organizations`,
);
const tokens: string[] = [];
for (let index = 0; index < clients; index++) tokens.push(await coalition.session(index));
const after = await coalition.app.eventStore.head();

interface Done {
  arrivals: Float64Array;
  disordered: number;
  closedEarly: number;
  counts: number[];
}
const pool = Array.from({ length: workers }, (_, index) => {
  const share = tokens.filter((_, token) => token % workers === index);
  return new Worker(new URL('./live-clients.mjs', import.meta.url), {
    workerData: { url: `${coalition.origin.replace('http', 'ws')}/api/live`, tokens: share, after },
  });
});
const next = (worker: Worker, type: string) =>
  new Promise<Record<string, unknown>>((resolve, reject) => {
    const onMessage = (message: Record<string, unknown>) => {
      if (message.type !== type) return;
      worker.off('message', onMessage);
      resolve(message);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
const connectStarted = now();
await Promise.all(pool.map((worker) => next(worker, 'ready')));
log(`${clients} clients connected and caught up in ${Math.round(now() - connectStarted)} ms`);
log(`sockets open on the server: ${coalition.app.live?.size}`);

// Commands at a steady rate from a worker thread of their own (open loop: one starts every 1000/rate ms,
// whatever the others do), so the server's event loop is not also the sender's.
const responses = new Map<number, { sent: number; answered: number }>();
let failures = 0;
let failedMeasured = 0;
const total = warmup + commands;
const sender = new Worker(new URL('./live-commands.mjs', import.meta.url), {
  workerData: {
    origin: coalition.origin,
    representatives: coalition.representatives.map((rep) => rep.token),
    proposals: coalition.proposals,
    rate,
    total,
    startAt: now() + 50,
  },
});
const serverLoop = performance.eventLoopUtilization();
const sent = (await next(sender, 'sent')) as { results: Float64Array; elapsed: number; busy: number };
const serverBusy = performance.eventLoopUtilization(serverLoop).utilization;
await sender.terminate();
/** The warm-up's commands, answered: counted only in the log's "with the warm-up" figures. */
const warmupResponses = new Map<number, { sent: number; answered: number }>();
let failedWarmup = 0;
for (let index = 0; index < total; index++) {
  const [due, answered, status, position] = sent.results.subarray(index * 4, index * 4 + 4);
  if (status !== 201 || !position) {
    failures++;
    if (index >= warmup) failedMeasured++;
    else failedWarmup++;
  } else (index >= warmup ? responses : warmupResponses).set(position, { sent: due!, answered: answered! });
}
const elapsed = sent.elapsed / 1000;
const last = Math.max(...responses.keys());
const reached = await Promise.all(
  pool.map((worker) => {
    const answer = next(worker, 'reached');
    worker.postMessage({ type: 'waitFor', position: last, timeoutMs });
    return answer;
  }),
);
const pct = (share: number) => `${Math.round(100 * share)}%`;
log(
  `busy share of each thread's event loop while the commands ran: server ${pct(serverBusy)}, ` +
    `command sender ${pct(sent.busy)}, clients ${reached.map((r) => pct(r.busy as number)).join(' and ')} ` +
    `(${workers + 2} threads, ${availableParallelism()} cores, and PostgreSQL's processes with --postgres)`,
);
const done = (await Promise.all(
  pool.map((worker) => {
    const answer = next(worker, 'done');
    worker.postMessage({ type: 'stop' });
    return answer;
  }),
)) as unknown as Done[];
await Promise.all(pool.map((worker) => worker.terminate()));

// Latency of every (command, client) pair, from sending the request; a late one counts as the timeout.
const fromResponse: number[] = [];
const fromRequest: number[] = [];
const warmupFromRequest: number[] = [];
let early = 0;
let late = 0;
for (const { arrivals } of done) {
  for (let index = 0; index < arrivals.length; index += 2) {
    const at = arrivals[index + 1]!;
    const warming = warmupResponses.get(arrivals[index]!);
    if (warming) warmupFromRequest.push(Math.min(at - warming.sent, timeoutMs));
    const timing = responses.get(arrivals[index]!);
    if (!timing) continue;
    const latency = at - timing.answered;
    if (latency < 0) early++;
    fromResponse.push(latency);
    if (at - timing.sent > timeoutMs) late++;
    fromRequest.push(Math.min(at - timing.sent, timeoutMs));
  }
}
// Deliveries that never came, refused commands' at every client included, count as the timeout.
const expected = (responses.size + failedMeasured) * clients;
const missed = expected - fromRequest.length;
for (let index = 0; index < missed; index++) fromRequest.push(timeoutMs);
const warmupMissed = (warmupResponses.size + failedWarmup) * clients - warmupFromRequest.length;
for (let index = 0; index < warmupMissed; index++) warmupFromRequest.push(timeoutMs);
const withWarmup = [...warmupFromRequest, ...fromRequest].sort((a, b) => a - b);
fromResponse.sort((a, b) => a - b);
fromRequest.sort((a, b) => a - b);
const counts = done.flatMap((result) => result.counts);
log(
  `${responses.size} measured commands (+${warmup} warm-up) in ${elapsed.toFixed(1)} s (${(total / elapsed).toFixed(1)}/s), ` +
    `${failures} failed; ${fromResponse.length} of ${expected} deliveries arrived, ${missed} missed and ${late} later than ${timeoutMs} ms (counted as ${timeoutMs} ms); ` +
    `every client reached the last position: ${reached.every((r) => r.all)}; ` +
    `out of order or repeated: ${done.reduce((sum, d) => sum + d.disordered, 0)}; ` +
    `closed early: ${done.reduce((sum, d) => sum + d.closedEarly, 0)}; entries per client ${Math.min(...counts)}–${Math.max(...counts)}`,
);
log(
  `from its scheduled send (the headline): p50 ${round(quantile(fromRequest, 0.5))} ms, ` +
    `p90 ${round(quantile(fromRequest, 0.9))} ms, p99 ${round(quantile(fromRequest, 0.99))} ms, ` +
    `max ${round(fromRequest.at(-1) ?? Number.NaN)} ms`,
);
log(
  `with the ${warmup} warm-up commands counted too (${warmupMissed} of their deliveries missed): ` +
    `p50 ${round(quantile(withWarmup, 0.5))} ms, p99 ${round(quantile(withWarmup, 0.99))} ms, ` +
    `max ${round(withWarmup.at(-1) ?? Number.NaN)} ms`,
);
log(
  `for comparison, from the HTTP response (negative: before it): p50 ${round(quantile(fromResponse, 0.5))} ms, ` +
    `p99 ${round(quantile(fromResponse, 0.99))} ms; ${((100 * early) / Math.max(1, fromResponse.length)).toFixed(1)}% arrived before the response`,
);
const fanout = (await coalition.app.metrics.liveFanout.get()).values;
const fanoutSum = fanout.find((value) => value.metricName?.endsWith('_sum'))?.value ?? 0;
const fanoutCount = fanout.find((value) => value.metricName?.endsWith('_count'))?.value ?? 0;
log(
  `server fan-out: ${fanoutCount} batches, ${((1000 * fanoutSum) / Math.max(1, fanoutCount)).toFixed(1)} ms on average ` +
    `to serialize once and write to every socket`,
);
await coalition.close();
console.log(
  JSON.stringify({
    bench: 'live',
    clients,
    rate,
    p50_ms: round(quantile(fromRequest, 0.5)),
    p99_ms: round(quantile(fromRequest, 0.99)),
    missed: missed + late,
    warmup_commands: warmup,
    p99_ms_with_warmup: round(quantile(withWarmup, 0.99)),
  }),
);
process.exit(0);
