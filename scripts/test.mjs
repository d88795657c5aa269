#!/usr/bin/env node
// The one test command: lint, typecheck, then every test suite.
// PostgreSQL-backed suites need a server; in CI one must be reachable (we try to start it),
// elsewhere its absence makes those suites skip with a line saying so.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import net from 'node:net';

const ci = process.env.CI === 'true' || process.env.CI === '1';
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432) });
    socket.setTimeout(2000);
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function tryStartPostgres() {
  if (!existsSync('/etc/postgresql')) return;
  for (const version of readdirSync('/etc/postgresql')) {
    console.log(`[test] starting PostgreSQL ${version} with pg_ctlcluster`);
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  }
}

function run(cmd, args, env = process.env) {
  console.log(`[test] ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

let pgUp = await reachable(pgUrl);
if (!pgUp && ci) {
  tryStartPostgres();
  for (let i = 0; i < 30 && !pgUp; i++) {
    pgUp = await reachable(pgUrl);
    if (!pgUp) execFileSync('sleep', ['1']);
  }
  if (!pgUp) {
    console.error(`[test] CI needs PostgreSQL at ${pgUrl} and none is reachable.`);
    process.exit(1);
  }
}
const env = { ...process.env, TEST_DATABASE_URL: pgUrl };
if (!pgUp) {
  env.CONCORD_SKIP_POSTGRES = '1';
  console.log(`[test] SKIPPING PostgreSQL-backed suites: no server reachable at ${pgUrl}.`);
}
if (ci) env.CI = 'true';

// Browser tests drive Debian's Chromium (never a downloaded browser); the durability test traces the
// server's system calls with Debian's strace. Installed as root where missing.
const debianPackages = [
  ['/usr/bin/chromium', 'chromium', 'the browser tests'],
  ['/usr/bin/strace', 'strace', 'the durability test'],
].filter(([path]) => !existsSync(path));
if (debianPackages.length > 0 && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  const apt = (...args) =>
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } })
      .status === 0;
  const names = debianPackages.map(([, name]) => name);
  console.log(
    `[test] installing Debian ${names.join(', ')} for ${debianPackages.map(([, , why]) => why).join(' and ')}`,
  );
  if (!apt('install', '-y', ...names)) {
    apt('update');
    apt('install', '-y', ...names);
  }
}

const bin = (name) => `node_modules/.bin/${name}`;
run(bin('biome'), ['check', '.'], env);
// The packages and services in one program (tsconfig.json at the root).
run(bin('tsc'), ['-p', '.'], env);
// tsc does not read .svelte files; svelte-check does, after SvelteKit and Paraglide generate their code.
run(process.execPath, ['portal/scripts/sync.mjs'], env);
run(
  'portal/node_modules/.bin/svelte-check',
  ['--tsconfig', 'portal/tsconfig.json', '--fail-on-warnings'],
  env,
);
const asked = process.argv.slice(2);
if (asked.length > 0) run(bin('vitest'), ['run', ...asked], env);
else {
  // Coverage has a floor only for the domain (vitest.config.ts), but V8's coverage, once on, counts every
  // function in every test process: the API, projections and portal suites then cost a fifth more CPU
  // for figures nobody reads. The domain runs with it, everything else without.
  run(bin('vitest'), ['run', '--coverage', '--project=domain'], env);
  run(bin('vitest'), ['run', '--project=!domain'], env);
}
// The suite runs on this machine's Node; Concord must also start on the current LTS line (Node 24, from
// the npm registry's `node` package) before a change lands. Skipped when only some tests were asked for.
if (process.argv.length <= 2) run('npx', ['--yes', 'node@24', 'scripts/smoke.mjs'], env);
