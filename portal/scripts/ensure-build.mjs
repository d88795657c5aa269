#!/usr/bin/env node
// Builds the portal when `portal/build` is missing or older than its sources; otherwise does nothing.
// Used by the start command, the browser tests and the benchmark:
//   node portal/scripts/ensure-build.mjs            (exit 0 when the build is fresh or was made)
//   node portal/scripts/ensure-build.mjs --force    (always build: the package's `build` script)
//   import { ensurePortalBuild } from '../portal/scripts/ensure-build.mjs'
// A stamp written after a successful build records what it was built from, so a build that died
// half-way, a changed file and an added or deleted file all cause a rebuild.
// A lock directory keeps two callers (e.g. parallel test files) from building at once.
// Never run it while an adapter-node server serves this build: a rebuild replaces its files.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const portalDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const buildDir = join(portalDir, 'build');
const stamp = join(buildDir, '.concord-build-stamp');
const lock = join(portalDir, '.build-lock');

const inputs = [
  'src',
  'messages',
  'project.inlang/settings.json',
  'svelte.config.js',
  'vite.config.ts',
  'paraglide.config.js',
  'package.json',
  // Bundled into the server build (route table, schemas, routeBudgetChange).
  '../packages/contracts/src',
  '../packages/domain/src',
  // The browser's own check of the witnessed log (lazy chunk).
  '../packages/transparency/src',
];
/** Generated into src/ from messages/ (by the build and by scripts/sync.mjs): never a reason to rebuild. */
const generated = new Set([join(portalDir, 'src', 'lib', 'paraglide')]);

/**
 * The build's input files, generated ones excluded.
 * @param {string} path
 * @param {string[]} [into]
 * @returns {string[]}
 */
function inputFiles(path, into = []) {
  if (generated.has(path) || !existsSync(path)) return into;
  if (statSync(path).isDirectory()) {
    for (const entry of readdirSync(path).sort()) inputFiles(join(path, entry), into);
  } else {
    into.push(path);
  }
  return into;
}

/** What a build is made from: the input files (so a deletion shows) and the newest change among them. */
function inputState() {
  const files = inputs.flatMap((input) => inputFiles(join(portalDir, input)));
  const newest = Math.max(0, ...files.map((file) => statSync(file).mtimeMs));
  return { files: files.map((file) => relative(portalDir, file)), newest };
}

/** Why the build must be (re)made, or null when it is fresh. @returns {string | null} */
export function portalBuildStaleReason() {
  if (!existsSync(stamp)) return existsSync(buildDir) ? 'the last build did not finish' : 'no build yet';
  const { files, newest } = inputState();
  if (newest > statSync(stamp).mtimeMs) return 'sources changed since the last build';
  /** @type {{ files?: string[] }} */
  let recorded = {};
  try {
    recorded = JSON.parse(readFileSync(stamp, 'utf8'));
  } catch {
    return 'the last build left no readable record';
  }
  if (JSON.stringify(recorded.files) !== JSON.stringify(files)) return 'source files were added or removed';
  return null;
}

/** @param {number} ms */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** @param {number} timeoutMs */
function acquireLock(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      return;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      // A lock older than the longest build is left over from a killed run.
      if (Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`Timed out waiting for another portal build (${lock})`);
      else sleep(500);
    }
  }
}

/**
 * Builds if needed. Returns true when it built, false when the build was already fresh.
 * @param {{ log?: (line: string) => void, force?: boolean }} [options]
 */
export function ensurePortalBuild({ log = console.log, force = false } = {}) {
  if (!force && !portalBuildStaleReason()) return false;
  acquireLock(15 * 60_000);
  try {
    const reason = force ? 'forced' : portalBuildStaleReason();
    if (!reason) return false; // another caller built it while we waited
    log(`[portal] building (${reason})…`);
    const { files } = inputState();
    const vite = join(portalDir, 'node_modules', 'vite', 'bin', 'vite.js');
    const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: portalDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      // A production build whoever asks for it (vitest sets NODE_ENV=test, which the build must not inherit).
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0)
      throw new Error(`The portal build failed (exit ${result.status ?? result.signal})`);
    writeFileSync(stamp, `${JSON.stringify({ builtAt: new Date().toISOString(), files })}\n`);
    log('[portal] built');
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensurePortalBuild({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
