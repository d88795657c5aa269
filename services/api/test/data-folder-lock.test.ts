import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, type ServerProcess, spawnServer, waitUntilServing } from './support/process.ts';

/** One owner per data folder (issue 21, ADR 0010): refused at once, with what to do instead. */
describe('one owner per data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'concord-lock-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second server and the CLI on a folder a running server owns', async () => {
    server = await spawnServer(dataDir);
    await waitUntilServing(server);

    const second = await spawnServer(dataDir);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `Concord cannot start: the data folder ${dataDir} is in use by a running Concord server`,
    );
    expect(second.output()).toContain(`pid ${server.child.pid}`);
    expect(second.output()).toContain('Stop that server first, or give this one another DATA_DIR.');

    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', 'verify'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', EVENTSTORE_URL: '' },
      encoding: 'utf8',
    });
    expect(cli.status).toBe(3);
    expect(cli.stderr).toContain('is in use by a running Concord server');
    expect(cli.stderr).toContain(`concord backup FILE --url http://localhost:${server.port}`);
    expect(cli.stderr).toContain('/api/audit/verification');
    expect(cli.stderr).toContain('or stop the server first');
    // The server is unharmed.
    expect((await fetch(`${server.base}/health`)).ok).toBe(true);
  }, 180_000);
});
