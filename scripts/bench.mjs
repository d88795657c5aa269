#!/usr/bin/env node
// `pnpm bench <name>`: runs one benchmark; its last line on stdout is one JSON object with the figures.
import { spawnSync } from 'node:child_process';

const benches = {
  api: 'services/api/bench/api.ts',
  append: 'packages/event-store/bench/append.ts',
  checkpoint: 'packages/transparency/bench/checkpoint.ts',
  live: 'services/api/bench/live.ts',
  notify: 'services/api/bench/notify.ts',
  portal: 'portal/bench/portal.ts',
  replay: 'packages/projections/bench/replay.ts',
  reset: 'services/api/bench/reset.ts',
};
const name = process.argv[2];
if (!benches[name]) {
  console.error(`Usage: pnpm bench <${Object.keys(benches).join('|')}>`);
  process.exit(2);
}
// Node with tsx's loader, not `pnpm exec`: there may be no pnpm on the PATH (it runs through npx).
const result = spawnSync(process.execPath, ['--import', 'tsx', benches[name], ...process.argv.slice(3)], {
  stdio: 'inherit',
});
if (result.error) console.error(result.error.message);
process.exit(result.status ?? 1);
