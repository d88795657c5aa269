import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgliteEventStore } from '@concord/event-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concord } from './support/concord.ts';

/** The CLI on the embedded data directory `dataDir`. */
const concordOn = (args: string[], dataDir: string) => concord(args, { DATA_DIR: dataDir });

const at = '2025-03-01T09:00:00.000Z';
/** An event as the first version of its schema recorded it (a fresh id, a test command's metadata). */
const firstVersion = (type: string, data: Record<string, unknown>) => ({
  id: crypto.randomUUID(),
  type,
  data,
  metadata: {
    commandId: crypto.randomUUID(),
    commandType: 'Test',
    correlationId: 'c',
    causationId: 'c',
    actor: { personId: 'system:founding', organizationId: null, role: 'system' },
    schemaVersion: 1,
  },
});

/**
 * A data directory written by a version before names left the events: a representative invitation of
 * the first version carries the invited person's name, then more events follow in that stream and others.
 */
async function olderDataDirectory(dataDir: string): Promise<void> {
  const store = await openPgliteEventStore(join(dataDir, 'pg'));
  const founding = { type: 'founding', foundingEventId: 'founded' };
  await store.append(
    'member-org-1',
    [
      firstVersion('MemberAdmitted', { organizationId: 'org-1', name: 'Sawa Women', basis: founding, at }),
      firstVersion('RepresentativeInvited', {
        organizationId: 'org-1',
        personId: 'person-1',
        name: 'Amal Haddad',
        invitedBy: 'facilitator-1',
        at,
      }),
    ],
    { expectedVersion: 0 },
  );
  await store.append(
    'member-org-2',
    [
      firstVersion('MemberAdmitted', {
        organizationId: 'org-2',
        name: 'Penang Learning',
        basis: founding,
        at,
      }),
    ],
    { expectedVersion: 0 },
  );
  await store.append(
    'member-org-1',
    [firstVersion('RepresentativeJoined', { organizationId: 'org-1', personId: 'person-1', at })],
    { expectedVersion: 2 },
  );
  await store.close();
}

describe('concord migrate-personal-data on a data directory made before names left the events', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'concord-personal-'));
    await olderDataDirectory(dataDir);
    expect((await concordOn(['project'], dataDir)).code).toBe(0);
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('takes the names out of the log and the views, and the history still verifies and replays identically', async () => {
    const before = await concordOn(['export', '--format', 'jsonl'], dataDir);
    expect(before.stdout).toContain('Amal Haddad');

    const migrated = await concordOn(['migrate-personal-data'], dataDir);
    expect(migrated.stderr).not.toContain('concord:');
    expect(migrated.code).toBe(0);
    // The invitation itself and the event after it in its stream (its chain) changed; the other stream did not.
    expect(migrated.stdout).toContain('rewrote 2 stored events');

    const after = await concordOn(['export', '--format', 'jsonl'], dataDir);
    expect(after.stdout).not.toContain('Amal');
    const lines = after.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const invited = lines.find((line) => line.type === 'RepresentativeInvited');
    expect(invited.data).toEqual({
      organizationId: 'org-1',
      personId: 'person-1',
      invitedBy: 'facilitator-1',
      confirmed: true,
      reason: null,
      at,
    });
    expect(invited.metadata.schemaVersion).toBe(2);
    const rewrite = lines.find((line) => line.type === 'HistoryRewritten');
    expect(rewrite.data.rewritten.map((event: { streamId: string }) => event.streamId)).toEqual([
      'member-org-1',
      'member-org-1',
    ]);
    expect(rewrite.data.previousHeadDigest).not.toBe(rewrite.data.headDigest);

    const verified = await concordOn(['verify'], dataDir);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const replayed = await concordOn(['replay'], dataDir);
    expect(replayed.code, replayed.stdout + replayed.stderr).toBe(0);
    expect(replayed.stdout).toContain('identical');
    const trail = await concordOn(['export', '--format', 'csv'], dataDir);
    expect(trail.stdout).not.toContain('Amal');
    expect(trail.stdout).toContain('Person person-1');

    const again = await concordOn(['migrate-personal-data'], dataDir);
    expect(again.stdout).toContain('nothing to do');
  }, 300_000);
});
