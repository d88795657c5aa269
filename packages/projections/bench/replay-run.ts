/**
 * One timed rebuild for `bench/replay.ts`, in its own process: `replay-run.ts postgres <url>` or
 * `replay-run.ts pglite <data dir>`. Prints `{ events, ms, peakRssMb }`.
 */
import { openPglite, openPostgres, PostgresEventStore } from '@concord/event-store';
import type { Kysely } from 'kysely';
import { rebuild } from '../src/index.ts';

const [target, location] = process.argv.slice(2);
if ((target !== 'postgres' && target !== 'pglite') || !location) {
  console.error('usage: replay-run.ts postgres <url> | pglite <data dir>');
  process.exit(2);
}
let db: Kysely<unknown>;
if (target === 'postgres') db = openPostgres(location, 4);
else ({ db } = await openPglite(location));
const store = new PostgresEventStore(db);

let peak = process.memoryUsage().rss;
const sample = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 200);
let lastLog = Date.now();
const result = await rebuild({
  db,
  store,
  onProgress(done, total) {
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      process.stderr.write(
        `[bench replay]   ${target}: ${done.toLocaleString('en')} of ~${total.toLocaleString('en')} events\n`,
      );
    }
  },
});
clearInterval(sample);
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
await store.close();
await db.destroy();
console.log(
  JSON.stringify({ events: result.events, ms: result.ms, peakRssMb: Math.round(peak / 1024 / 1024) }),
);
