import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { postgresAvailable } from '@concord/event-store/testing';
import { appendCoalition, Random } from '@concord/generator';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReadModels, compareReadModels, readModels } from '../src/index.ts';
import { type PostgresFixture, postgresFixture } from './support/database.ts';

const EVENTS = Number(process.env.CONCORD_KILL_TEST_EVENTS ?? 50_000);
const KILLS = 12;
const SEED = 20_240_601;
const child = fileURLToPath(new URL('./support/projector-child.ts', import.meta.url));

if (!postgresAvailable) {
  describe.skip('projector kill test — SKIPPED: no PostgreSQL server reachable', () => {
    it('skipped', () => {});
  });
} else {
  describe(`projector killed with SIGKILL ${KILLS} times while catching up on ${EVENTS} events`, () => {
    let fixture: PostgresFixture;
    let total: { events: number; lastPosition: number };

    beforeAll(async () => {
      fixture = await postgresFixture('concord_kill');
      total = await appendCoalition(fixture.store, { events: EVENTS, seed: SEED });
    });
    afterAll(async () => {
      await fixture?.close();
    });

    /** The checkpoint the child committed last (0 before its first batch or before the schema exists). */
    async function committed(): Promise<number> {
      try {
        const { rows } = await sql<{
          events: string;
        }>`select events from live.checkpoints where name = 'projector'`.execute(fixture.db);
        return Number(rows[0]?.events ?? 0);
      } catch {
        return 0;
      }
    }

    function start(): { process: ChildProcess; exited: Promise<number | null> } {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, fixture.database.url, 'live', '500'], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      return { process: proc, exited };
    }

    it('resumes without applying an event twice or skipping one, and ends identical to a clean rebuild', async () => {
      const random = new Random(SEED);
      let kills = 0;
      let runs = 0;
      for (;;) {
        runs++;
        const { process: proc, exited } = start();
        let finished = false;
        void exited.then(() => {
          finished = true;
        });
        if (kills < KILLS) {
          const before = await committed();
          const remaining = total.events - before;
          // Mostly kill after the checkpoint moved by a random number of events, sometimes during start-up.
          const target = random.chance(0.2)
            ? before
            : before +
              Math.max(1, Math.min(random.int(500, 3000), Math.floor(remaining / (KILLS - kills + 1))));
          while (!finished && (await committed()) < target)
            await new Promise((resolve) => setTimeout(resolve, 10));
          if (!finished) {
            // A random offset into the next batch: the kill lands before, inside or after a transaction.
            await new Promise((resolve) => setTimeout(resolve, random.int(0, 60)));
            if (!finished) {
              proc.kill('SIGKILL');
              kills++;
            }
          }
          await exited;
          continue;
        }
        expect(await exited).toBe(0);
        break;
      }
      expect(kills).toBeGreaterThanOrEqual(10);
      expect(runs).toBe(kills + 1);

      const live = await readModels(fixture.db, 'live').checkpoint();
      expect(live?.position).toBe(total.lastPosition);
      expect(live?.events).toBe(total.events);
      const { count } = (
        await sql<{ count: string }>`select count(*) from live.audit_trail`.execute(fixture.db)
      ).rows[0]!;
      expect(Number(count)).toBe(total.events);

      await buildReadModels({ db: fixture.db, store: fixture.store, schema: 'clean' });
      const comparison = await compareReadModels(fixture.db, 'live', 'clean');
      expect(comparison.differences).toEqual([]);
      expect(comparison.identical).toBe(true);
    });
  });
}
