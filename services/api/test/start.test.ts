import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routes } from '@concord/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FeedClient } from './support/live.ts';
import { freePort, root } from './support/process.ts';

/** Starts `scripts/start.mjs` and collects what it prints. */
function start(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['scripts/start.mjs', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = { child, output: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    started.output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    started.output += chunk.toString();
  });
  return started;
}

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the start command (embedded default)', () => {
  const dataDirs: string[] = [];
  const children: ChildProcess[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'concord-start-'));
    dataDirs.push(dir);
    return dir;
  };

  // The start command builds the portal when its sources changed; do it first, outside the tests' time.
  beforeAll(() => {
    const build = spawnSync(process.execPath, ['portal/scripts/ensure-build.mjs'], {
      cwd: root,
      stdio: 'pipe',
    });
    if (build.status !== 0) throw new Error(`portal build failed: ${build.stderr}`);
  }, 600_000);
  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('serves /health on PORT with the event store opened on PGlite under DATA_DIR, and prints the set-up link', async () => {
    const port = await freePort();
    const dir = dataDir();
    const started = start([], { PORT: String(port), DATA_DIR: dir });
    children.push(started.child);
    let body: unknown;
    await until(async () => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/health`);
        if (response.ok) body = await response.json();
      } catch {
        // not listening yet
      }
      return body !== undefined;
    }, 60_000);
    // A fresh store: the only event a new server writes by itself is its log key's publication
    // (LogKeyPublished), which may or may not have landed when /health first answers (positions are
    // the store's gap-safe global order, not a count).
    expect(body).toEqual({ status: 'ok', eventStore: { head: expect.any(Number) } });
    expect(existsSync(join(dir, 'keys', 'log.key'))).toBe(true);
    expect(existsSync(join(dir, 'pg', 'PG_VERSION'))).toBe(true);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(30_000),
    });
    expect(ready.status).toBe(200);
    // An empty store prints the one-time link that creates the first facilitator.
    await until(() => started.output.includes('/setup?token='), 10_000);
    expect(started.output).toMatch(/\/setup\?token=[A-Za-z0-9_-]{20,}/);
    // Framed so that a person notices it, and shown again by the CLI while the server holds the folder.
    expect(started.output).toContain('Concord has no facilitator yet');
    const printed = /(http:\S+\/setup\?token=[A-Za-z0-9_-]+)/.exec(started.output)![1];
    const again = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', 'setup-link'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: dir },
      encoding: 'utf8',
    });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain(printed);
    // The portal answers on the same port.
    const page = await fetch(`http://127.0.0.1:${port}/`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    expect(page.status).toBeLessThan(500);
    expect(page.headers.get('content-type') ?? page.headers.get('location')).toBeTruthy();
    started.child.kill('SIGTERM');
  }, 90_000);

  it('--demo seeds a coalition through the API and serves it, portal and live feed, on one port', async () => {
    const port = await freePort();
    const dir = dataDir();
    const started = start(['--demo'], { PORT: String(port), DATA_DIR: dir });
    children.push(started.child);
    await until(() => /password for all: (\S+)\):/.test(started.output), 150_000).catch(() => {
      throw new Error(`no demo summary:\n${started.output}`);
    });
    const password = /password for all: (\S+)\):/.exec(started.output)![1]!;
    expect(started.output).toMatch(/\$10,000,000\.00 on 6 lines/);
    expect(readFileSync(join(dir, 'demo-sign-in.txt'), 'utf8')).toContain(password);
    const base = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${base}/health`).catch(() => null))?.ok === true, 30_000);

    const signIn = await fetch(`${base}/api/auth/sign-in`, {
      signal: AbortSignal.timeout(30_000),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lucia@independent-audit.example', password }),
    });
    expect(signIn.status).toBe(200);
    const token = /concord_session=([^;]+)/.exec(signIn.headers.get('set-cookie') ?? '')![1]!;
    const cookie = `concord_session=${token}`;
    const get = async <Schema extends z.ZodType>(path: string, schema: Schema): Promise<z.output<Schema>> =>
      schema.parse(
        await (
          await fetch(`${base}${path}`, { headers: { cookie }, signal: AbortSignal.timeout(30_000) })
        ).json(),
      );

    const { budgets } = await get('/api/budgets', routes.budgets.response);
    expect(budgets).toHaveLength(1);
    expect(budgets[0]!.totals.allocated).toBe(1_000_000_000);
    const { workingGroups } = await get('/api/working-groups', routes.workingGroups.response);
    expect(workingGroups.map((group) => group.name).sort()).toEqual(['Advocacy', 'Finance', 'Grants']);
    const { members } = await get('/api/members', routes.members.response);
    expect(members).toHaveLength(6);
    const { proposals } = await get('/api/proposals?limit=100', routes.proposals.response);
    const statuses = proposals.map((proposal) => proposal.status);
    expect(statuses).toContain('executed');
    expect(statuses).toContain('notAdopted');
    expect(statuses.filter((status) => status === 'open').length).toBeGreaterThanOrEqual(2);
    const { grantCalls } = await get('/api/grant-calls', routes.grantCalls.response);
    expect(grantCalls).toHaveLength(1);
    const call = await get(`/api/grant-calls/${grantCalls[0]!.grantCallId}`, routes.grantCall.response);
    expect(call.applications).toHaveLength(3);
    const audit = await get('/api/audit?limit=1000', routes.auditTrail.response);
    expect(audit.entries.length).toBeGreaterThan(100);
    expect(audit.entries.some((entry) => entry.type === 'ProposalExecuted')).toBe(true);

    // The live feed replays the same audit trail.
    const feed = await FeedClient.open(`ws://127.0.0.1:${port}/api/live`, { cookie });
    feed.resume(0);
    await feed.caughtUp();
    expect(feed.positions()).toEqual(audit.entries.map((entry) => entry.position));
    feed.close();

    // And the portal's pages are served on the same port.
    const page = await fetch(`${base}/`, {
      headers: { cookie },
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    expect(page.status).toBeLessThan(500);

    // A second start with --demo on the same data seeds nothing more.
    started.child.kill('SIGTERM');
    await new Promise((resolve) => started.child.once('exit', resolve));
    const again = start(['--demo'], { PORT: String(port), DATA_DIR: dir, LOG_LEVEL: 'info' });
    children.push(again.child);
    await until(() => again.output.includes('nothing was seeded'), 60_000);
    expect(again.output).not.toMatch(/password for all/);
    again.child.kill('SIGTERM');
  }, 240_000);
});
