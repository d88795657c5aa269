import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBackup } from '@concord/projections';
import { afterAll, describe, expect, it } from 'vitest';
import { World } from './support/world.ts';

describe('scheduled backups', () => {
  const dir = mkdtempSync(join(tmpdir(), 'concord-backups-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a verifiable backup on schedule and keeps the newest ones', async () => {
    let now = Date.parse('2026-12-01T00:00:00Z');
    // The schedule's timer never fires in the test (a day); each pass is run by hand at a given time.
    const world = await World.create({
      clock: () => new Date(now),
      backups: { dir, everyMs: 86_400_000, keep: 2 },
    });
    try {
      for (let pass = 0; pass < 3; pass++) {
        await world.draft('repA');
        await world.app.scheduledBackup();
        now += 3_600_000;
      }
      const files = readdirSync(dir).sort();
      expect(files).toEqual([
        'concord-backup-2026-12-01T01-00-00Z.jsonl.gz',
        'concord-backup-2026-12-01T02-00-00Z.jsonl.gz',
      ]);
      // The newest holds the whole history as it is (nothing was appended after it).
      const newest = await verifyBackup(join(dir, files[1]!));
      const verified = await world.t.store.verify();
      expect(verified.ok).toBe(true);
      if (verified.ok) {
        expect(newest.headDigest).toBe(verified.headHash);
        expect(newest.events).toBe(verified.events);
      }
      const older = await verifyBackup(join(dir, files[0]!));
      expect(older.events).toBeLessThan(newest.events);
    } finally {
      await world.close();
    }
  }, 120_000);
});
