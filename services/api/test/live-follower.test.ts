import type { AddressInfo } from 'node:net';
import { type AppliedBatch, type ViewChange, viewChangeKey } from '@concord/projections';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesOfEvents } from '../src/live/source.ts';
import { buildServer } from '../src/server.ts';
import { auditTrail, FeedClient } from './support/live.ts';
import { BUDGET, testPasswordCost, World } from './support/world.ts';

const key = viewChangeKey;

/**
 * A second API instance on the same database that does not run the projector (PROJECTOR=off): its
 * sockets follow the projector's checkpoint and get the same entries as the first instance's.
 */
describe('the live feed on an instance without the projector', () => {
  let world: World;
  let follower: FastifyInstance;
  const batches: AppliedBatch[] = [];

  beforeAll(async () => {
    world = await World.create();
    world.app.readSide!.onBatch((batch) => batches.push(batch));
    follower = await buildServer({
      store: world.t.store,
      db: world.t.db,
      logger: false,
      passwordCost: testPasswordCost,
      processSteps: false,
      projector: false,
    });
    await follower.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(async () => {
    await follower?.close();
    await world?.close();
  });

  it('delivers exactly the entries of the projecting instance, with at least its view changes', async () => {
    expect(follower.readSide?.projecting).toBe(false);
    const url = `ws://127.0.0.1:${(follower.server.address() as AddressInfo).port}/api/live`;
    await world.settle();
    const start = await world.t.store.head();
    const client = await FeedClient.as(world, url, 'auditor');
    client.resume(start);
    await client.caughtUp();
    batches.length = 0;

    const proposalId = await world.openBudgetProposal('repA');
    for (const name of ['repA', 'repB', 'groupMember', 'nonMember'] as const)
      await world.stance(name, proposalId);
    await world.as('repB', {
      type: 'RaiseBudgetQuestion',
      budgetId: BUDGET,
      questionId: world.id('question'),
      lineId: 'ops',
      text: 'Why this much?',
    });
    await world.group(['org-a', 'org-b']);
    await world.settle();
    const target = await world.t.store.head();
    await client.until(() => client.lastPosition() >= target);

    const expected = (await auditTrail(world)).filter((entry) => entry.position > start);
    expect(client.entries()).toEqual(expected);
    // Each projector batch's changes are among what the follower derives from the same events.
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) {
      const derived = new Set(changesOfEvents(batch.events).map(key));
      for (const change of batch.changes) expect(derived.has(key(change)), key(change)).toBe(true);
    }
    const followed = new Set(
      client.messages.flatMap((m) => (m.type === 'events' ? m.changes.map((c) => key(c as ViewChange)) : [])),
    );
    for (const change of batches.flatMap((batch) => batch.changes))
      expect(followed.has(key(change))).toBe(true);
    client.close();
  });
});

/**
 * Two instances that both run the projector on one database (a misconfiguration, or a rebuild swapped in
 * under a running projector): each projector skips the batches the other committed, yet every socket
 * still receives every entry exactly once, read back from the read models.
 */
describe('the live feed when the checkpoint moves under the projector', () => {
  let world: World;
  let second: FastifyInstance;

  beforeAll(async () => {
    world = await World.create();
    second = await buildServer({
      store: world.t.store,
      db: world.t.db,
      logger: false,
      passwordCost: testPasswordCost,
      processSteps: false,
    });
    await second.listen({ port: 0, host: '127.0.0.1' });
    await world.app.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await world?.close();
  });

  it('fills the gaps: both instances’ sockets get the whole trail, in order, once', async () => {
    expect(second.readSide?.projecting).toBe(true);
    await world.settle();
    const start = await world.t.store.head();
    const urlOf = (app: FastifyInstance) =>
      `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/live`;
    const clients = [
      await FeedClient.as(world, urlOf(world.app), 'auditor'),
      await FeedClient.as(world, urlOf(second), 'repA'),
    ];
    for (const client of clients) client.resume(start);
    await Promise.all(clients.map((client) => client.caughtUp()));

    const proposalId = await world.openBudgetProposal('repA');
    for (let round = 0; round < 6; round++) {
      await Promise.all(
        (['repA', 'repB', 'groupMember', 'nonMember'] as const).map((name) =>
          world.as(name, {
            type: 'TakeStance',
            proposalId,
            stance: round % 2 ? 'consent' : 'concerns',
            reason: round % 2 ? null : `round ${round}`,
          }),
        ),
      );
    }
    const target = await world.t.store.head();
    await world.app.readSide!.waitFor(target, 30_000);
    const expected = (await auditTrail(world)).filter((entry) => entry.position > start);
    for (const client of clients) {
      await client.until(() => client.lastPosition() >= target);
      expect(client.positions()).toEqual(expected.map((entry) => entry.position));
      client.close();
    }
  });
});
