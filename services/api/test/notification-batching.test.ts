import { openPostgres } from '@concord/event-store';
import { createTestDatabase, postgresAvailable } from '@concord/event-store/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { World } from './support/world.ts';

afterEach(() => {
  vi.useRealTimers();
});

// On PostgreSQL: PGlite's one connection would keep the stances out while a batch holds its transaction open.
describe.skipIf(!postgresAvailable)('the notification processor under a steady stream of commits', () => {
  it('a batch that caught up ends its run: what was committed meanwhile waits for a quiet moment, then comes in one batch', async () => {
    let committed = 0;
    let gate: Promise<void> = Promise.resolve();
    let open = () => {};
    let entered = () => {};
    const database = await createTestDatabase('concord_notify_batching');
    const world = await World.create({
      database: openPostgres(database.url, 10),
      notifications: {
        intervalMs: 3_600_000,
        processor: {
          beforeCommit: async () => {
            entered();
            await gate;
            committed++;
          },
        },
      },
    });
    try {
      const { processor } = world.app.notifications;
      const { store } = world.t;
      const proposalId = await world.openBudgetProposal('repA');
      await processor.waitFor(await store.head());
      // A batch is held inside its transaction while more stances commit.
      gate = new Promise((resolve) => {
        open = resolve;
      });
      const inBatch = new Promise<void>((resolve) => {
        entered = resolve;
      });
      // Positions from the commands' answers: the store's head stays behind an open transaction (ADR 0002).
      const stance = async (name: 'repA' | 'repB' | 'groupMember') =>
        (await world.as(name, { type: 'TakeStance', proposalId, stance: 'consent', reason: null })).result
          .position;
      const first = await stance('repA');
      await inBatch;
      await stance('repB');
      const last = await stance('groupMember');
      const before = committed;
      // The real timer, kept to bound one observation below; the processor's own timers are frozen from here.
      const realTimeout = globalThis.setTimeout;
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      open();
      await processor.waitFor(first);
      expect(committed).toBe(before + 1);

      // With its timers frozen, the processor does not go on to the stances committed during the batch.
      const reached = processor.waitFor(last).then(() => 'processed' as const);
      const bound = new Promise<'waited'>((resolve) => realTimeout(() => resolve('waited'), 500));
      expect(await Promise.race([reached, bound])).toBe('waited');
      expect(processor.position).toBe(first);

      // After the quiet moment, both come in one batch.
      await vi.advanceTimersByTimeAsync(50);
      expect(await reached).toBe('processed');
      expect(committed).toBe(before + 2);
    } finally {
      vi.useRealTimers();
      await world.close();
      await database.drop();
    }
  });
});
