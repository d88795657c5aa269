import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  EventIdConflictError,
  type EventStore,
  InvalidAppendError,
  type RecordedEvent,
  StreamNotFoundError,
  verifyEvents,
} from '../src/index.ts';
import { newEvent as event, eventually } from './support/index.ts';

/**
 * Alters the payload of a stream's second event, as a superuser could, and checks that `verify` names that
 * event; returns it.
 */
export async function alterSecondPayload(
  store: EventStore,
  tamper: Pick<TamperAccess, 'eventsTable' | 'asSuperuser'>,
  { id, events }: { id: string; events: readonly RecordedEvent[] },
): Promise<RecordedEvent> {
  const victim = events[1]!;
  await tamper.asSuperuser(
    `UPDATE ${tamper.eventsTable} SET data = '{"i":200}' WHERE global_position = ${victim.globalPosition}`,
  );
  expect(await store.verify()).toMatchObject({
    ok: false,
    firstBad: {
      streamId: id,
      streamPosition: 2,
      globalPosition: victim.globalPosition,
      problem: 'hash_mismatch',
    },
  });
  return victim;
}

/** Raw access an adapter may offer so the suite can play a superuser who edits stored events. */
export interface TamperAccess {
  /** Runs SQL with the immutability guard lifted, as someone with full database rights could. */
  asSuperuser(statements: string): Promise<void>;
  /** Runs SQL as the application would, guards in place. */
  query(statement: string): Promise<void>;
  /** The qualified events table, e.g. `"eventstore".events`. */
  eventsTable: string;
  streamsTable: string;
}

export interface OpenedTarget {
  store: EventStore;
  /** Present when the adapter can give raw access to its storage (PostgreSQL, PGlite). */
  tamper?: TamperAccess;
}

export interface ContractTarget {
  open(): Promise<OpenedTarget>;
  /** Whether `open()` returns tamper access; decides up front which cases run and which show as skipped. */
  canTamper: boolean;
  /**
   * Whether an event id is refused anywhere but at the place it was first appended (PostgreSQL: a unique
   * index). EventStoreDB/KurrentDB only recognises an id as a retry at that place. Defaults to true.
   */
  uniqueEventIds?: boolean;
  /**
   * Whether event hashes include the global position (see `verifyEvents`); false where the store assigns
   * it only when it commits (EventStoreDB/KurrentDB). Defaults to true.
   */
  hashesBindGlobalPosition?: boolean;
  /** Whether the store offers the port's optional bulk `scan` (and `analyze`). Defaults to false. */
  bulkScan?: boolean;
  /** Whether the store announces its own appends (`onAppended`). Defaults to false. */
  announcesAppends?: boolean;
}

const stream = (kind = 'test') => `${kind}-${randomUUID()}`;

/**
 * Every behaviour of the event store port. Each adapter runs this suite; tamper and immutability
 * cases run where the adapter gives raw access to its storage.
 */
export function describeEventStoreContract(name: string, target: ContractTarget) {
  describe(`event store contract: ${name}`, () => {
    let opened: OpenedTarget;
    let store: EventStore;
    beforeAll(async () => {
      opened = await target.open();
      store = opened.store;
    });
    afterAll(async () => {
      await store?.close();
    });
    // Cases that need a capability the target may lack show as skipped rather than vanish.
    const uniqueIdsOnly = target.uniqueEventIds === false ? it.skip : it;

    describe('append and readStream', () => {
      it('stores events in order with positions, metadata, time and hash', async () => {
        const id = stream();
        const metadata = {
          commandId: randomUUID(),
          correlationId: randomUUID(),
          causationId: randomUUID(),
          actor: { personId: 'p-1', organizationId: 'org-a', role: 'representative' },
          schemaVersion: 2,
        };
        const events = [
          event('ProposalDrafted', { title: 'Translation budget', amount: 125_000 }, metadata),
          event('ProposalOpened', { at: 'x' }),
        ];
        const before = Date.now();
        const result = await store.append(id, events, { expectedVersion: 'no_stream' });
        expect(result.nextExpectedVersion).toBe(2);
        expect(result.alreadyAppended).toBe(false);

        const read = await store.readStream(id);
        expect(read.map((e) => [e.id, e.type, e.streamPosition])).toEqual([
          [events[0]!.id, 'ProposalDrafted', 1],
          [events[1]!.id, 'ProposalOpened', 2],
        ]);
        expect(read[0]!.data).toEqual({ title: 'Translation budget', amount: 125_000 });
        expect(read[0]!.metadata).toEqual(metadata);
        expect(read[1]!.globalPosition).toBeGreaterThan(read[0]!.globalPosition);
        expect(read[1]!.globalPosition).toBe(result.lastGlobalPosition);
        expect(read[0]!.recordedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(read[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(read[1]!.hash).not.toBe(read[0]!.hash);
      });

      it('keeps unicode, nested data and right-to-left text intact', async () => {
        const id = stream();
        const data = {
          title: 'ميزانية الترجمة',
          notes: ['Añadir línea', 'Ajouter « ligne »'],
          nested: { a: [1, null, true] },
        };
        await store.append(id, [event('Commented', data)]);
        expect((await store.readStream(id))[0]!.data).toEqual(data);
      });

      it('stores exactly the JSON text it hashed, whatever the payload holds', async () => {
        const id = stream();
        const awkward = [
          { quote: 'say "no", then \\ again', lines: 'one\ntwo\ttab', nul: '\u0000', emoji: '🤝🏽' },
          ['[', ']', '{', '}', ',', '"'],
          'a bare string',
          null,
        ];
        await store.append(
          id,
          awkward.map((data, i) => ({ ...event(`Type "${i}", odd`, data), metadata: { note: `m,${i}"` } })),
        );
        await store.append(id, [event('Single', { back: '\\"\\' })]);
        const read = await store.readStream(id);
        expect(read.map((e) => e.data)).toEqual([...awkward, { back: '\\"\\' }]);
        expect(read.map((e) => e.type).slice(0, 2)).toEqual(['Type "0", odd', 'Type "1", odd']);
        expect(read[3]!.metadata).toMatchObject({ note: 'm,3"' });
        expect(await store.verify()).toMatchObject({ ok: true });
      });

      it('reads from a position, backwards and with a limit', async () => {
        const id = stream();
        await store.append(
          id,
          [1, 2, 3, 4, 5].map((n) => event('Counted', { n })),
        );
        const from3 = await store.readStream(id, { from: 3 });
        expect(from3.map((e) => e.streamPosition)).toEqual([3, 4, 5]);
        const back = await store.readStream(id, { direction: 'backwards', limit: 2 });
        expect(back.map((e) => e.streamPosition)).toEqual([5, 4]);
        const backFrom = await store.readStream(id, { direction: 'backwards', from: 2 });
        expect(backFrom.map((e) => e.streamPosition)).toEqual([2, 1]);
      });

      it('throws StreamNotFound for a stream without events', async () => {
        await expect(store.readStream(stream())).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('refuses an append when the stream is not at the expected version', async () => {
        const id = stream();
        await store.append(id, [event('A'), event('B')], { expectedVersion: 'no_stream' });
        const wrong = store.append(id, [event('C')], { expectedVersion: 1 });
        await expect(wrong).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(wrong).rejects.toMatchObject({ expected: 1, actual: 2, streamId: id });
        await expect(store.append(id, [event('C')], { expectedVersion: 'no_stream' })).rejects.toMatchObject({
          code: 'CONCURRENCY',
          actual: 2,
        });
        await expect(
          store.append(stream(), [event('C')], { expectedVersion: 'stream_exists' }),
        ).rejects.toMatchObject({
          actual: 0,
        });
        await expect(store.append(id, [event('C')], { expectedVersion: 2 })).resolves.toMatchObject({
          nextExpectedVersion: 3,
        });
        await expect(
          store.append(id, [event('D')], { expectedVersion: 'stream_exists' }),
        ).resolves.toMatchObject({
          nextExpectedVersion: 4,
        });
        await expect(store.append(id, [event('E')], { expectedVersion: 'any' })).resolves.toMatchObject({
          nextExpectedVersion: 5,
        });
        expect((await store.readStream(id)).map((e) => e.type)).toEqual(['A', 'B', 'C', 'D', 'E']);
      });

      it('appends only while the other streams it checks are at the versions given (ADR 0043)', async () => {
        const id = stream();
        const fact = stream();
        const never = stream();
        await store.append(fact, [event('Admitted'), event('Appointed')]);
        // Each check holds: the fact's version, and a stream with no events at 0.
        await expect(
          store.append(id, [event('A')], {
            expectedVersion: 'no_stream',
            unchanged: [
              { streamId: fact, version: 2 },
              { streamId: never, version: 0 },
            ],
          }),
        ).resolves.toMatchObject({ nextExpectedVersion: 1, alreadyAppended: false });
        // The fact moved on: refused, naming the fact's stream, and nothing is written.
        await store.append(fact, [event('Removed')]);
        const refused = store.append(id, [event('B')], {
          expectedVersion: 1,
          unchanged: [{ streamId: fact, version: 2 }],
        });
        await expect(refused).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(refused).rejects.toMatchObject({ streamId: fact, expected: 2, actual: 3 });
        await expect(
          store.append(id, [event('B')], {
            expectedVersion: 1,
            unchanged: [{ streamId: never, version: 1 }],
          }),
        ).rejects.toMatchObject({ streamId: never, actual: 0 });
        expect((await store.readStream(id)).map((e) => e.type)).toEqual(['A']);
        // A retry of an append already stored is recognised, whatever the facts did since.
        const first = event('C');
        await store.append(id, [first], { expectedVersion: 1, unchanged: [{ streamId: fact, version: 3 }] });
        await store.append(fact, [event('Reappointed')]);
        await expect(
          store.append(id, [first], { expectedVersion: 1, unchanged: [{ streamId: fact, version: 3 }] }),
        ).resolves.toMatchObject({ nextExpectedVersion: 2, alreadyAppended: true });
        await expect(
          store.append(id, [event('D')], {
            unchanged: Array.from({ length: 101 }, () => ({ streamId: fact, version: 4 })),
          }),
        ).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(
          store.append(id, [event('D')], { unchanged: [{ streamId: fact, version: -1 }] }),
        ).rejects.toBeInstanceOf(InvalidAppendError);
        expect(await store.streamVersion(id)).toBe(2);
      });

      it('lets exactly one of several concurrent appends at the same version win', async () => {
        const id = stream();
        await store.append(id, [event('Opened')], { expectedVersion: 'no_stream' });
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) =>
            store.append(id, [event('Stance', { i })], { expectedVersion: 1 }),
          ),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        for (const failed of attempts.filter((a) => a.status === 'rejected')) {
          expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
        }
        expect(await store.readStream(id)).toHaveLength(2);
      });

      it('refuses empty appends and malformed event ids', async () => {
        await expect(store.append(stream(), [])).rejects.toBeInstanceOf(InvalidAppendError);
        await expect(
          store.append(stream(), [{ id: 'not-a-uuid', type: 'X', data: {} }]),
        ).rejects.toBeInstanceOf(InvalidAppendError);
      });
    });

    describe('streamVersions and streamVersion', () => {
      it('lists the streams whose ids start with a prefix, each at its version', async () => {
        const prefix = `${stream()}-`;
        await store.append(`${prefix}a`, [event('A1'), event('A2')]);
        await store.append(`${prefix}b`, [event('B1')]);
        await store.append(`${prefix}a`, [event('A3')]);
        await store.append(`other${prefix}c`, [event('C1')]);
        // Polled: EventStoreDB lists streams through a projection that follows the log.
        await expect
          .poll(() => store.streamVersions(prefix))
          .toEqual(
            new Map([
              [`${prefix}a`, 3],
              [`${prefix}b`, 1],
            ]),
          );
        expect(await store.streamVersion(`${prefix}a`)).toBe(3);
        expect(await store.streamVersion(`${prefix}b`)).toBe(1);
        expect(await store.streamVersion(`${prefix}nothing`)).toBe(0);
        // The prefix is text, not a pattern.
        expect(await store.streamVersions(`${prefix.slice(0, -2)}_`)).toEqual(new Map());
        expect(await store.streamVersions(`${prefix.slice(0, -2)}%`)).toEqual(new Map());
      });
    });

    describe('idempotent appends', () => {
      it('a retried append succeeds without duplicating events', async () => {
        const id = stream();
        const batch = [event('A'), event('B')];
        const first = await store.append(id, batch, { expectedVersion: 'no_stream' });
        const headBefore = await store.head();
        const retry = await store.append(id, batch, { expectedVersion: 'no_stream' });
        expect(retry).toMatchObject({ alreadyAppended: true, nextExpectedVersion: 2 });
        expect(retry.lastGlobalPosition).toBe(first.lastGlobalPosition);
        expect(await store.readStream(id)).toHaveLength(2);
        expect(await store.head()).toBe(headBefore);
      });

      it('recognises a retry even after the stream moved on', async () => {
        const id = stream();
        const batch = [event('A')];
        await store.append(id, batch, { expectedVersion: 'no_stream' });
        await store.append(id, [event('B')], { expectedVersion: 1 });
        await expect(store.append(id, batch, { expectedVersion: 'no_stream' })).resolves.toMatchObject({
          alreadyAppended: true,
        });
        expect(await store.readStream(id)).toHaveLength(2);
      });

      uniqueIdsOnly('refuses an event id stored in another stream or at another place', async () => {
        const a = stream();
        const reused = event('A');
        await store.append(a, [reused]);
        await expect(store.append(stream(), [reused])).rejects.toBeInstanceOf(EventIdConflictError);
        await expect(store.append(a, [event('B'), reused])).rejects.toBeInstanceOf(EventIdConflictError);
        expect(await store.readStream(a)).toHaveLength(1);
      });
    });

    describe('readAll, head and subscribe', () => {
      it('reads every stream in global order, after a position, with a limit', async () => {
        const start = await store.head();
        const [x, y] = [stream(), stream()];
        await store.append(x, [event('X1')]);
        await store.append(y, [event('Y1'), event('Y2')]);
        await store.append(x, [event('X2')]);
        const all = await store.readAll({ after: start });
        const ours = all.filter((e) => e.streamId === x || e.streamId === y);
        expect(ours.map((e) => e.type)).toEqual(['X1', 'Y1', 'Y2', 'X2']);
        const positions = all.map((e) => e.globalPosition);
        expect([...positions].sort((p, q) => p - q)).toEqual(positions);
        expect(await store.head()).toBe(positions.at(-1));
        const limited = await store.readAll({ after: start, limit: 2 });
        expect(limited.map((e) => e.type)).toEqual(['X1', 'Y1']);
        const rest = await store.readAll({ after: limited[1]!.globalPosition });
        expect(rest.filter((e) => e.streamId === x || e.streamId === y).map((e) => e.type)).toEqual([
          'Y2',
          'X2',
        ]);
      });

      it('answers concurrent reads of the same page alike, and a larger ask in full', async () => {
        const start = await store.head();
        const id = stream();
        await store.append(
          id,
          [1, 2, 3, 4, 5].map((n) => event('N', { n })),
        );
        const ns = (events: RecordedEvent[]) =>
          events.filter((e) => e.streamId === id).map((e) => (e.data as { n: number }).n);
        // Asked for at once: a store may serve them with one read, but each gets what it asked for.
        const [two, five, all, twoAgain] = await Promise.all([
          store.readAll({ after: start, limit: 2 }),
          store.readAll({ after: start, limit: 5 }),
          store.readAll({ after: start }),
          store.readAll({ after: start, limit: 2 }),
        ]);
        expect(ns(two)).toEqual([1, 2]);
        expect(ns(twoAgain)).toEqual([1, 2]);
        expect(ns(five)).toEqual([1, 2, 3, 4, 5]);
        expect(ns(all)).toEqual([1, 2, 3, 4, 5]);
        two.pop();
        expect(ns(twoAgain)).toEqual([1, 2]);
      });

      it(`${target.announcesAppends ? 'announces' : 'declares no announcing of'} its appends`, async () => {
        expect(typeof store.onAppended).toBe(target.announcesAppends ? 'function' : 'undefined');
        if (!store.onAppended) return;
        const id = stream();
        const seen: number[] = [];
        const stop = store.onAppended(() => {
          seen.push(seen.length);
        });
        const before = await store.head();
        await store.append(id, [event('A')]);
        // Called once the append committed: a read made then finds it.
        expect(seen).toEqual([0]);
        expect((await store.readAll({ after: before })).some((e) => e.streamId === id)).toBe(true);
        stop();
        await store.append(id, [event('B')]);
        expect(seen).toEqual([0]);
      });

      // An optional capability, declared: a store says whether it scans in bulk, and if it does, the
      // scan gives exactly what readAll gives.
      it(`declares ${target.bulkScan ? 'a' : 'no'} bulk scan`, () => {
        expect(typeof store.scan).toBe(target.bulkScan ? 'function' : 'undefined');
        expect(typeof store.analyze).toBe(target.bulkScan ? 'function' : 'undefined');
      });

      (target.bulkScan ? it : it.skip)('scans in bulk the same events as readAll, page by page', async () => {
        const start = await store.head();
        const [x, y] = [stream(), stream()];
        await store.append(x, [event('X1', { n: 1, text: 'ünïcode \u2068' })]);
        await store.append(y, [event('Y1'), event('Y2', { nested: { list: [1, 2] } })]);
        await store.append(x, [event('X2')]);
        const until = await store.head();
        expect(store.scan).toBeTypeOf('function');
        const scanned: { id: string; position: number; type: string; data: unknown; hash: string }[] = [];
        const pageLengths: number[] = [];
        for await (const page of store.scan!({ after: start, until, pageSize: 2 })) {
          pageLengths.push(page.length);
          page.forEach((stored) => {
            scanned.push({
              id: stored.id,
              position: stored.globalPosition,
              type: stored.type,
              data: JSON.parse(stored.data),
              hash: stored.hash,
            });
          });
        }
        const read = (await store.readAll({ after: start })).filter((e) => e.globalPosition <= until);
        expect(scanned).toEqual(
          read.map((e) => ({
            id: e.id,
            position: e.globalPosition,
            type: e.type,
            data: e.data,
            hash: e.hash,
          })),
        );
        expect(pageLengths).toEqual([2, 2]);
        await expect(store.analyze?.()).resolves.toBeUndefined();
      });

      it('catches up, then delivers live events in order, once each; resumes from a checkpoint', async () => {
        const start = await store.head();
        const id = stream();
        await store.append(
          id,
          [1, 2, 3].map((n) => event('N', { n })),
        );
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribe({ after: start, batchSize: 2 }, (e) => {
          if (e.streamId === id) seen.push(e);
        });
        await eventually(() => seen.length === 3, 'catch-up');
        await store.append(
          id,
          [4, 5].map((n) => event('N', { n })),
        );
        await store.append(id, [event('N', { n: 6 })]);
        await eventually(() => seen.length === 6, 'live events');
        expect(seen.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6]);
        await subscription.close();
        const checkpoint = seen[3]!.globalPosition;

        await store.append(id, [event('N', { n: 7 })]);
        const resumed: number[] = [];
        const again = store.subscribe({ after: checkpoint }, (e) => {
          if (e.streamId === id) resumed.push((e.data as { n: number }).n);
        });
        await eventually(() => resumed.length === 3, 'resumed events');
        expect(resumed).toEqual([5, 6, 7]);
        expect(again.position).toBeGreaterThan(checkpoint);
        await again.close();
      });

      it('ends a subscription whose handler throws, reporting the error', async () => {
        await store.append(stream(), [event('Boom')]);
        const subscription = store.subscribe({ after: 0 }, () => {
          throw new Error('handler failed');
        });
        await expect(subscription.done).rejects.toThrow('handler failed');
      });
    });

    describe('tamper evidence', () => {
      it('verifies a clean store, with a head digest that moves with every append', async () => {
        const first = await store.verify();
        expect(first).toMatchObject({ ok: true });
        if (!first.ok) return;
        expect(first.headHash).toMatch(/^[0-9a-f]{64}$/);
        expect(first.headPosition).toBe(await store.head());
        await store.append(stream(), [event('More')]);
        const second = await store.verify();
        expect(second.ok && second.headHash).not.toBe(first.headHash);
        expect(second.events).toBe(first.events + 1);
      });

      it('hashes can be checked from the events alone, without the store', async () => {
        const events = await store.readAll({ after: 0, limit: 100_000 });
        async function* iterate() {
          yield* events;
        }
        const options = { hashesBindGlobalPosition: target.hashesBindGlobalPosition ?? true };
        expect(await verifyEvents(iterate(), undefined, options)).toMatchObject({
          ok: true,
          events: events.length,
        });
        const altered = events.map((e, i) =>
          i === events.length - 1 ? { ...e, data: { forged: true } } : e,
        );
        async function* iterateAltered() {
          yield* altered;
        }
        const result = await verifyEvents(iterateAltered(), undefined, options);
        expect(result).toMatchObject({ ok: false, firstBad: { problem: 'hash_mismatch' } });
      });
    });

    describeTampering(target.canTamper, () => ({ store, tamper: opened.tamper! }));
  });
}

function describeTampering(canTamper: boolean, get: () => { store: EventStore; tamper: TamperAccess }) {
  if (!canTamper) {
    describe.skip('immutability and tampering (this adapter offers no raw access to its storage)', () => {
      it('skipped', () => {});
    });
    return;
  }

  describe('immutability and tampering', () => {
    let store: EventStore;
    let tamper: TamperAccess;
    let events: string;
    let streams: string;
    beforeAll(() => {
      ({ store, tamper } = get());
      events = tamper.eventsTable;
      streams = tamper.streamsTable;
    });

    async function freshStream(count: number) {
      const id = stream('tamper');
      for (let i = 1; i <= count; i++) await store.append(id, [event('Step', { i })]);
      return { id, events: await store.readStream(id) };
    }

    it('the database refuses UPDATE, DELETE and TRUNCATE of stored events', async () => {
      const { id, events: stored } = await freshStream(2);
      const gp = stored[0]!.globalPosition;
      await expect(
        tamper.query(`UPDATE ${events} SET data = '{"i":99}' WHERE global_position = ${gp}`),
      ).rejects.toThrow(/immutable/);
      await expect(tamper.query(`DELETE FROM ${events} WHERE global_position = ${gp}`)).rejects.toThrow(
        /immutable/,
      );
      await expect(tamper.query(`TRUNCATE ${events}`)).rejects.toThrow(/immutable/);
      await expect(tamper.query(`DELETE FROM ${streams} WHERE stream_id = '${id}'`)).rejects.toThrow(
        /immutable/,
      );
      await expect(tamper.query(`TRUNCATE ${streams}`)).rejects.toThrow(/immutable/);
      expect((await store.readStream(id)).map((e) => e.data)).toEqual([{ i: 1 }, { i: 2 }]);
      expect(await store.verify()).toMatchObject({ ok: true });
    });

    // Each case breaks the store, checks verify names the right event, then repairs it for the next case.
    it('names an event whose payload was altered', async () => {
      const { id, events: stored } = await freshStream(3);
      const victim = await alterSecondPayload(store, tamper, { id, events: stored });
      await tamper.asSuperuser(
        `UPDATE ${events} SET data = '{"i":2}' WHERE global_position = ${victim.globalPosition}`,
      );
      expect(await store.verify()).toMatchObject({ ok: true });
    });

    it('names an event whose metadata was altered', async () => {
      const { id, events: stored } = await freshStream(2);
      const victim = stored[0]!;
      await tamper.asSuperuser(
        `UPDATE ${events} SET metadata = '{"actor":{"personId":"someone-else"}}' WHERE global_position = ${victim.globalPosition}`,
      );
      expect(await store.verify()).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 1, problem: 'hash_mismatch' },
      });
      await tamper.asSuperuser(
        `UPDATE ${events} SET metadata = '{}' WHERE global_position = ${victim.globalPosition}`,
      );
      expect(await store.verify()).toMatchObject({ ok: true });
    });

    it('names a removed event, in the middle or at the end of a stream', async () => {
      const { id, events: stored } = await freshStream(3);
      const saved = `CREATE TABLE IF NOT EXISTS public.tamper_saved AS SELECT * FROM ${events} WITH NO DATA;
        DELETE FROM public.tamper_saved; INSERT INTO public.tamper_saved SELECT * FROM ${events} WHERE stream_id = '${id}'`;
      await tamper.asSuperuser(
        `${saved}; DELETE FROM ${events} WHERE global_position = ${stored[1]!.globalPosition}`,
      );
      expect(await store.verify()).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 2, globalPosition: null, problem: 'missing_event' },
      });
      await tamper.asSuperuser(
        `INSERT INTO ${events} SELECT * FROM public.tamper_saved WHERE stream_position = 2`,
      );
      expect(await store.verify()).toMatchObject({ ok: true });

      await tamper.asSuperuser(`DELETE FROM ${events} WHERE global_position = ${stored[2]!.globalPosition}`);
      expect(await store.verify()).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 3, problem: 'missing_event' },
      });
      await tamper.asSuperuser(
        `INSERT INTO ${events} SELECT * FROM public.tamper_saved WHERE stream_position = 3`,
      );
      expect(await store.verify()).toMatchObject({ ok: true });
    });

    it('names a reordered pair, within a stream and across streams', async () => {
      const { id, events: stored } = await freshStream(3);
      const [a, b] = [stored[0]!, stored[1]!];
      const setStreamPositions = (first: number, second: number) =>
        `UPDATE ${events} SET stream_position = -stream_position WHERE global_position IN (${a.globalPosition}, ${b.globalPosition});
        UPDATE ${events} SET stream_position = CASE WHEN global_position = ${a.globalPosition} THEN ${first} ELSE ${second} END
         WHERE global_position IN (${a.globalPosition}, ${b.globalPosition})`;
      await tamper.asSuperuser(setStreamPositions(2, 1));
      expect(await store.verify()).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 2, globalPosition: a.globalPosition, problem: 'order' },
      });
      await tamper.asSuperuser(setStreamPositions(1, 2));
      expect(await store.verify()).toMatchObject({ ok: true });

      const other = await freshStream(1);
      const x = stored[2]!;
      const y = other.events[0]!;
      const swapGlobal = (p: number, q: number) =>
        `UPDATE ${events} SET global_position = -global_position WHERE global_position IN (${p}, ${q});
         UPDATE ${events} SET global_position = CASE WHEN global_position = -${p} THEN ${q} ELSE ${p} END WHERE global_position IN (-${p}, -${q})`;
      await tamper.asSuperuser(swapGlobal(x.globalPosition, y.globalPosition));
      expect(await store.verify()).toMatchObject({
        ok: false,
        firstBad: { globalPosition: x.globalPosition, problem: 'hash_mismatch' },
      });
      await tamper.asSuperuser(swapGlobal(x.globalPosition, y.globalPosition));
      expect(await store.verify()).toMatchObject({ ok: true });
    });

    it('names an inserted event', async () => {
      const { id, events: stored } = await freshStream(2);
      const forged = randomUUID();
      const last = stored[1]!;
      await tamper.asSuperuser(
        `INSERT INTO ${events} (global_position, stream_id, stream_position, event_id, type, data, metadata, recorded_at, hash)
         SELECT ${last.globalPosition} + 500, stream_id, 3, '${forged}', 'BudgetLineAdjusted', '{"amount":1000000}', '{}', now(), hash
           FROM ${events} WHERE global_position = ${last.globalPosition}`,
      );
      expect(await store.verify()).toMatchObject({
        ok: false,
        firstBad: { streamId: id, streamPosition: 3, problem: 'unexpected_event' },
      });
      await tamper.asSuperuser(`DELETE FROM ${events} WHERE event_id = '${forged}'`);
      expect(await store.verify()).toMatchObject({ ok: true });
    });
  });
}
