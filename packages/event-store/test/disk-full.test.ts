import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite, PostgresEventStore } from '../src/index.ts';

/**
 * A full disk (issue 21): an append that cannot be written fails with PostgreSQL's disk_full (53100, which
 * the API answers as 503 STORAGE_UNAVAILABLE), nothing of it is kept, and appends work again once space is
 * back, without a restart. Needs a small filesystem of its own: a tmpfs, which only root may mount.
 */
const mountPoint = mkdtempSync(join(tmpdir(), 'concord-full-'));
const mounted =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=80m', 'tmpfs', mountPoint]).status === 0;
if (!mounted) {
  console.log(
    `[disk-full] SKIPPING the full-disk test: cannot mount a small tmpfs at ${mountPoint} (needs root on Linux).`,
  );
}
afterAll(() => {
  if (mounted) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe.skipIf(!mounted)('a full disk under the embedded database', () => {
  it('refuses the append with disk_full, keeps nothing of it, and recovers by itself once space returns', async () => {
    const { db } = await openPglite(join(mountPoint, 'pg'));
    const store = new PostgresEventStore(db);
    await store.migrate();
    const filler = join(mountPoint, 'filler');
    try {
      const free = () => {
        const stats = statfsSync(mountPoint);
        return stats.bavail * stats.bsize;
      };
      writeFileSync(filler, Buffer.alloc(Math.max(0, free() - 3_000_000)));
      let refusal: { code?: string; message?: string } | undefined;
      const appended: string[] = [];
      for (let i = 0; i < 200 && !refusal; i++) {
        const stream = `full-${i}`;
        // Incompressible payloads, so the 3 MB left fill up.
        const big = randomBytes(100_000).toString('base64');
        await store.append(stream, [{ id: randomUUID(), type: 'Big', data: { big } }]).then(
          () => appended.push(stream),
          (error: { code?: string; message?: string }) => {
            refusal = error;
          },
        );
      }
      expect(refusal?.code).toBe('53100');
      expect(refusal?.message).toMatch(/No space left on device/);
      const before = await store.verify();
      expect(before.ok).toBe(true);
      expect(before.events).toBe(appended.length);

      rmSync(filler);
      const after = await store.append('after-space-returned', [
        { id: randomUUID(), type: 'Small', data: {} },
      ]);
      expect(after.nextExpectedVersion).toBe(1);
      const verified = await store.verify();
      expect(verified.ok).toBe(true);
      expect(verified.events).toBe(appended.length + 1);
    } finally {
      rmSync(filler, { force: true });
      await store.close();
      await db.destroy();
    }
  });
});
