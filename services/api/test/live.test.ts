import type { AddressInfo } from 'node:net';
import { liveCloseCodes } from '@concord/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTrail, FeedClient } from './support/live.ts';
import { ORG, World } from './support/world.ts';

/** Positions strictly increasing: nothing twice, nothing out of order. */
function expectStrictlyIncreasing(positions: number[]): void {
  for (let index = 1; index < positions.length; index++) {
    expect(positions[index]!, `position ${index}`).toBeGreaterThan(positions[index - 1]!);
  }
}

describe('the live feed over real sockets', () => {
  let world: World;
  let url: string;

  beforeAll(async () => {
    world = await World.create({ live: { recheckMs: 300, heartbeatMs: 1_000 } });
    await world.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(world.app.server.address() as AddressInfo).port}/api/live`;
    await world.settle();
  }, 120_000);
  afterAll(() => world?.close());

  async function head(): Promise<number> {
    await world.settle();
    return world.t.store.head();
  }

  describe('resume', () => {
    it('replays everything after a position, then live; a reconnect gets exactly what it missed', async () => {
      const first = await FeedClient.as(world, url, 'auditor');
      first.resume(0);
      await first.caughtUp();
      const before = await auditTrail(world);
      expect(first.positions()).toEqual(before.map((entry) => entry.position));
      expect(first.entries()).toEqual(before);
      const caughtUp = first.messages.findIndex((message) => message.type === 'caughtUp');
      expect(first.messages.slice(0, caughtUp).every((m) => m.type === 'events' && m.replay)).toBe(true);

      // Live: a proposal opens and takes stances; the socket sees each entry and the views that changed.
      const proposalId = await world.openBudgetProposal('repA');
      await world.stance('repB', proposalId);
      let target = await head();
      await first.until(() => first.lastPosition() >= target);
      const live = first.messages.slice(caughtUp + 1);
      expect(live.length).toBeGreaterThan(0);
      for (const message of live) {
        expect(message.type === 'events' && !message.replay).toBe(true);
        if (message.type === 'events') expect(message.position).toBe(message.entries.at(-1)?.position);
      }
      expect(
        live.some(
          (m) => m.type === 'events' && m.changes.some((c) => c.view === 'proposal' && c.id === proposalId),
        ),
      ).toBe(true);

      // Gone for a while: what happens meanwhile is replayed on reconnect, and nothing before it.
      const cut = first.lastPosition();
      first.close();
      await first.closed;
      await world.stance('groupMember', proposalId);
      await world.stance('nonMember', proposalId, 'block');
      target = await head();
      const second = await FeedClient.as(world, url, 'auditor');
      second.resume(cut);
      await second.caughtUp();
      expect(second.entries()).toEqual((await auditTrail(world)).filter((entry) => entry.position > cut));
      expect(second.lastPosition()).toBe(target);

      // Then live again.
      await world.stance('repA', proposalId);
      target = await head();
      await second.until(() => second.lastPosition() >= target);
      second.close();

      const all = (await auditTrail(world)).map((entry) => entry.position);
      const received = [...first.positions(), ...second.positions()];
      expect(received).toEqual(all);
    });

    it('hands over from replay to live with no gap and no duplicate while commands keep coming', async () => {
      const proposalId = await world.openBudgetProposal('repA');
      await world.settle();
      for (let round = 0; round < 3; round++) {
        const start = await head();
        // The burst stops after 0, 8 or 16 of its 24 commands until the client has resumed, so the rest
        // are written while the feed replays and hands over (not before or after, by luck of timing).
        const gate = 8 * round;
        let atGate!: () => void;
        let resumed!: () => void;
        const reachedGate = new Promise<void>((resolve) => {
          atGate = resolve;
        });
        const clientResumed = new Promise<void>((resolve) => {
          resumed = resolve;
        });
        const writer = (async () => {
          for (let index = 0; index < 24; index++) {
            if (index === gate) {
              atGate();
              await clientResumed;
            }
            const name = (['repA', 'repB', 'groupMember', 'nonMember'] as const)[index % 4]!;
            await world.as(name, {
              type: 'TakeStance',
              proposalId,
              stance: index % 2 ? 'consent' : 'concerns',
              reason: index % 2 ? null : `round ${round}, ${index}`,
            });
          }
        })();
        // Connect at that moment of the burst, from a position a little behind.
        await reachedGate;
        const client = await FeedClient.as(world, url, 'repB');
        const from = Math.max(0, start - 1);
        client.resume(from);
        resumed();
        await writer;
        const target = await head();
        await client.until(() => client.lastPosition() >= target);
        const expected = (await auditTrail(world)).filter((entry) => entry.position > from);
        expectStrictlyIncreasing(client.positions());
        expect(client.positions()).toEqual(expected.map((entry) => entry.position));
        expect(client.messages.filter((m) => m.type === 'caughtUp')).toHaveLength(1);
        client.close();
      }
    });

    it('answers ping with pong and refuses a second resume without closing', async () => {
      const client = await FeedClient.as(world, url, 'facilitator');
      client.resume(await head());
      await client.caughtUp();
      client.ws.send(JSON.stringify({ type: 'ping' }));
      await client.until(() => client.messages.some((m) => m.type === 'pong'));
      client.resume(0);
      await client.until(() => client.messages.some((m) => m.type === 'error'));
      expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'ALREADY_RESUMED' });
      expect(client.ws.readyState).toBe(client.ws.OPEN);
      client.close();
    });

    it('closes a socket that sends something else than a resume (4000)', async () => {
      const client = await FeedClient.as(world, url, 'repA');
      client.ws.send(JSON.stringify({ type: 'resume', after: -1 }));
      expect((await client.closed).code).toBe(liveCloseCodes.badMessage);
      const other = await FeedClient.as(world, url, 'repA');
      other.ws.send('not json');
      expect((await other.closed).code).toBe(liveCloseCodes.badMessage);
    });

    it('counts open sockets in the metrics', async () => {
      const client = await FeedClient.as(world, url, 'repA');
      client.resume(await head());
      await client.caughtUp();
      const metrics = await world.request('anonymous', 'GET', '/metrics');
      expect(metrics.body).toMatch(/concord_live_sockets [1-9]/);
      client.close();
      await client.closed;
    });
  });

  describe('permissions', () => {
    it('refuses the upgrade without a valid session (401), without a role (403), from another origin (403)', async () => {
      await expect(FeedClient.open(url)).rejects.toMatchObject({ status: 401 });
      await expect(
        FeedClient.open(url, { cookie: 'concord_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' }),
      ).rejects.toMatchObject({ status: 401 });
      const { personId } = await world.person('Nobody');
      const { token } = await world.app.auth.createSession(personId, 'test');
      await expect(FeedClient.open(url, { cookie: `concord_session=${token}` })).rejects.toMatchObject({
        status: 403,
      });
      await expect(
        FeedClient.as(world, url, 'repA', { origin: 'https://elsewhere.example' }),
      ).rejects.toMatchObject({ status: 403 });
      // The portal's own origin is fine.
      const client = await FeedClient.as(world, url, 'repA', { origin: 'http://localhost:3000' });
      client.close();
      // A plain GET is told to upgrade.
      const plain = await world.request('repA', 'GET', '/api/live');
      expect(plain.statusCode).toBe(426);
    });

    it('closes the socket of a session that is signed out or revoked (4001), here or elsewhere', async () => {
      const person = world.people.get('repB')!;
      const auth = world.app.auth;
      const { token } = await auth.createSession(person.personId, 'test');
      const client = await FeedClient.open(url, { cookie: `concord_session=${token}` });
      client.resume(await head());
      await client.caughtUp();
      const signOut = await world.app.inject({
        method: 'POST',
        url: '/api/auth/sign-out',
        cookies: { concord_session: token },
      });
      expect(signOut.statusCode).toBe(204);
      expect((await client.closed).code).toBe(liveCloseCodes.sessionEnded);

      // Revoked by another instance (straight in the database): the periodic check closes it.
      const second = await auth.createSession(person.personId, 'test');
      const other = await FeedClient.open(url, { cookie: `concord_session=${second.token}` });
      other.resume(await head());
      await other.caughtUp();
      await auth.db
        .updateTable('auth.sessions')
        .set({ revoked_at: new Date() })
        .where('session_id', '=', second.sessionId)
        .execute();
      expect((await other.closed).code).toBe(liveCloseCodes.sessionEnded);
    });

    it('closes the socket of a representative removed from their organization before the removal is sent', async () => {
      const leaving = await world.representative(ORG.B, 'Leaving');
      await world.settle();
      const { token } = await world.app.auth.createSession(leaving.personId, 'test');
      const theirs = await FeedClient.open(url, { cookie: `concord_session=${token}` });
      const auditor = await FeedClient.as(world, url, 'auditor');
      const start = await head();
      theirs.resume(start);
      auditor.resume(start);
      await Promise.all([theirs.caughtUp(), auditor.caughtUp()]);
      await world.as('repB', {
        type: 'RemoveRepresentative',
        organizationId: ORG.B,
        personId: leaving.personId,
      });
      const target = await head();
      expect((await theirs.closed).code).toBe(liveCloseCodes.sessionEnded);
      await auditor.until(() => auditor.lastPosition() >= target);
      expect(auditor.entries().some((entry) => entry.type === 'RepresentativeRemoved')).toBe(true);
      expect(theirs.entries().some((entry) => entry.type === 'RepresentativeRemoved')).toBe(false);
      expect(theirs.entries()).toEqual([]);
      auditor.close();
    });
  });
});
