import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createTestDatabase, postgresAvailable, type TestDatabase } from '@concord/event-store/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  call,
  foundedServer,
  invite,
  type ServerProcess,
  signInFacilitator,
  spawnServer,
  waitUntilServing,
} from '../../api/test/support/process.ts';
import { concord } from './support/concord.ts';
import { tempFolders } from './support/temp.ts';

/** Backups and restores (issue 21, ADR 0010), through the CLI as an operator runs them. */

const { temp, removeAll: removeTemp } = tempFolders();
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  removeTemp();
});

const digestOf = (output: string) => /head (?:digest|hash) ([0-9a-f]{64})/.exec(output)?.[1];

/** The backup with one event's payload changed (its hash left as it was). */
function tampered(file: string): string {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  const index = lines.findIndex((line) => line.includes('"kind":"event"') && line.includes('"data":{'));
  const event = JSON.parse(lines[index]!);
  event.data = { ...event.data, tampered: true };
  lines[index] = JSON.stringify(event);
  const out = `${file}.tampered.gz`;
  writeFileSync(out, gzipSync(lines.join('\n')));
  return out;
}

describe('backup and restore (embedded)', () => {
  it('backs up a running server through its API while commands go on, restores into an empty folder: identical, verified, same head digest; a tampered backup is refused', async () => {
    const dataDir = temp('backup-live');
    const { server, session, organizations } = await foundedServer(dataDir, 30, servers);
    const file = join(temp('backup-file'), 'concord.jsonl.gz');

    // A proposal citing a document (ADR 0025): the backup must carry its bytes, or the restored history
    // would cite a document that is not there.
    const document = Buffer.from('%PDF-1.4\n% backed up\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
    const uploaded = await fetch(`${server.base}/api/attachments`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'application/pdf' },
      body: document,
    });
    expect(uploaded.status).toBe(201);
    const drafted = await call(server, session, 'POST', '/api/proposals', {
      title: 'Open books',
      body: 'The quote is attached.',
      payload: {
        kind: 'charterChange',
        rules: null,
        sharedValues: ['Open books'],
        adoptSops: [],
        retireSopIds: [],
      },
      attachments: [await uploaded.json()],
    });
    expect(drafted.status).toBe(201);

    // The backup runs while a burst of commands is answered.
    const burst = Promise.all(
      organizations.map((organizationId, i) => invite(server, session, organizationId, i)),
    );
    const backedUp = await concord(['backup', file, '--url', server.base], {
      CONCORD_EMAIL: 'facilitator@example.org',
      CONCORD_PASSWORD: 'a long enough password',
    });
    const answers = await burst;
    expect(backedUp.stderr).toBe('');
    expect(backedUp.code).toBe(0);
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    const recorded = digestOf(backedUp.stdout);
    expect(recorded).toBeDefined();

    // Restored into an empty folder, with no server running on it.
    const restoredDir = temp('restored');
    const restored = await concord(['restore', file], { DATA_DIR: restoredDir });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(digestOf(restored.stdout)).toBe(recorded);
    const verified = await concord(['verify'], { DATA_DIR: restoredDir });
    expect(verified.code).toBe(0);
    expect(digestOf(verified.stdout)).toBe(recorded);
    expect(verified.stdout).toContain('; 1 cited documents match their SHA-256');
    const replayed = await concord(['replay'], { DATA_DIR: restoredDir });
    expect(replayed.stdout).toMatch(/^identical/);
    expect(replayed.code).toBe(0);

    // The restored installation starts, and the facilitator signs in with the same password.
    const again = await spawnServer(restoredDir);
    servers.push(again);
    await waitUntilServing(again);
    expect((await signInFacilitator(again)).ok).toBe(true);
    again.child.kill('SIGTERM');
    await again.exited;

    // A tampered backup is refused, and nothing is left behind.
    const emptyDir = temp('refused');
    const refused = await concord(['restore', tampered(file)], { DATA_DIR: emptyDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refused: the history in the backup does not verify: hash_mismatch');
    expect(existsSync(join(emptyDir, 'pg'))).toBe(false);
    expect(existsSync(join(emptyDir, 'pg.restoring'))).toBe(false);
    // And a restore into a folder that holds data is refused too.
    const occupied = await concord(['restore', file], { DATA_DIR: restoredDir });
    expect(occupied.code).toBe(1);
    expect(occupied.stderr).toContain('already holds a Concord database');
  }, 300_000);
});

describe.skipIf(!postgresAvailable)('backup and restore (PostgreSQL)', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it('backs up a PostgreSQL installation and restores it into an empty database: identical, verified, same head digest; a tampered backup is refused', async () => {
    const source = await createTestDatabase('concord_backup');
    const target = await createTestDatabase('concord_restore');
    const untouched = await createTestDatabase('concord_refused');
    databases.push(source, target, untouched);
    const generated = await concord(['generate', '--events', '1200', '--seed', '3'], {
      DATABASE_URL: source.url,
    });
    expect(generated.code).toBe(0);
    const file = join(temp('pg-backup'), 'concord.jsonl.gz');
    const backedUp = await concord(['backup', file], { DATABASE_URL: source.url });
    expect(backedUp.stderr).toBe('');
    expect(backedUp.code).toBe(0);
    const recorded = digestOf(backedUp.stdout);
    const sourceVerified = await concord(['verify'], { DATABASE_URL: source.url });
    expect(digestOf(sourceVerified.stdout)).toBe(recorded);

    const restored = await concord(['restore', file], { DATABASE_URL: target.url });
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    const verified = await concord(['verify'], { DATABASE_URL: target.url });
    expect(verified.code).toBe(0);
    expect(digestOf(verified.stdout)).toBe(recorded);
    const replayed = await concord(['replay'], { DATABASE_URL: target.url });
    expect(replayed.stdout).toMatch(/^identical: 1200 events replayed/);

    const refused = await concord(['restore', tampered(file)], { DATABASE_URL: untouched.url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('hash_mismatch');
    const empty = await concord(['verify'], { DATABASE_URL: untouched.url });
    expect(empty.stdout).toMatch(/^ok: 0 events/);
  }, 300_000);
});
