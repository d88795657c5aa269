import { type CommandType, commandSchemasByAggregate, rolesAllowedTo } from '@concord/domain';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  liveClientMessageSchema,
  liveCloseCodes,
  liveServerMessageSchema,
  problemSchema,
  type RouteContract,
  routes,
  stanceBody,
} from '../src/index.ts';
import { stanceTakenEntry } from './support/index.ts';

/**
 * Commands only a process step issues (actor `system`, per the domain's one permission table): they execute
 * adopted decisions or the founding, so no person can send them and no route exists for them.
 */
const systemOnly = new Set(
  Object.values(commandSchemasByAggregate)
    .flatMap((union) => union.options.map((option) => option.shape.type.value as CommandType))
    .filter((type) => rolesAllowedTo(type).every((role) => role === 'system')),
);

const all = Object.entries(routes) as [string, RouteContract][];

describe('the route table', () => {
  it('has a route for every command a person can issue; the others are system-only', () => {
    const commandTypes = Object.values(commandSchemasByAggregate).flatMap((union) =>
      union.options.map((option) => option.shape.type.value as CommandType),
    );
    const routed = new Set(
      all.flatMap(([, route]) => [...(route.command ? [route.command] : []), ...(route.alsoCommands ?? [])]),
    );
    for (const type of commandTypes) {
      expect(routed.has(type) || systemOnly.has(type), `${type} has a route or is system-only`).toBe(true);
      expect(routed.has(type) && systemOnly.has(type), `${type} is not both`).toBe(false);
    }
    expect([...systemOnly].sort()).toContain('AppointRepresentative');
  });

  it('gives every route a unique method and path, and every changing route idempotency', () => {
    const seen = new Set<string>();
    for (const [id, route] of all) {
      const key = `${route.method} ${route.path}`;
      expect(seen.has(key), `${id}: ${key} is unique`).toBe(false);
      seen.add(key);
      if (route.command && route.access !== 'public')
        expect(route.idempotent, `${id} takes Idempotency-Key`).toBe(true);
      for (const param of route.path.matchAll(/:(\w+)/g)) {
        expect(
          (route.params as z.ZodObject | undefined)?.shape[param[1]!],
          `${id} validates :${param[1]}`,
        ).toBeDefined();
      }
    }
  });

  it('refuses unknown fields in every request body', () => {
    for (const [id, route] of all) {
      if (!route.body) continue;
      const result = (route.body as z.ZodType).safeParse({ surelyUnknownField: 1 });
      expect(result.success, id).toBe(false);
      if (!result.success) {
        expect(
          result.error.issues.some((issue) => issue.code === 'unrecognized_keys'),
          `${id} is strict`,
        ).toBe(true);
      }
    }
  });

  it('keeps the server in charge of actors, times, ids and facts', () => {
    for (const [id, route] of all) {
      const shape = (route.body as z.ZodObject | undefined)?.shape ?? {};
      for (const field of ['actor', 'now', 'context', 'execution', 'proposalId', 'commentId', 'questionId']) {
        expect(field in shape, `${id} does not take ${field}`).toBe(false);
      }
    }
  });

  it('describes problems and requests as JSON Schema', () => {
    expect(() => z.toJSONSchema(problemSchema)).not.toThrow();
    expect(stanceBody.parse({ stance: 'consent' })).toEqual({ stance: 'consent', reason: null });
    expect(stanceBody.safeParse({ stance: 'consent', reason: '\u0000' }).success).toBe(false);
  });
});

describe('the live feed messages', () => {
  it('accepts only resume (with a position) and ping from clients', () => {
    expect(liveClientMessageSchema.parse({ type: 'resume', after: 42 })).toEqual({
      type: 'resume',
      after: 42,
    });
    expect(liveClientMessageSchema.parse({ type: 'ping' })).toEqual({ type: 'ping' });
    for (const bad of [
      { type: 'resume' },
      { type: 'resume', after: -1 },
      { type: 'resume', after: 1.5 },
      { type: 'resume', after: '1' },
      { type: 'resume', after: 1, extra: true },
      { type: 'subscribe', after: 1 },
      null,
      'resume',
    ]) {
      expect(liveClientMessageSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('describes what the server sends: audit entries with the views they changed', () => {
    const entry = stanceTakenEntry(7001, {
      eventId: 'e',
      streamPosition: 3,
      recordedAt: '2025-03-01T09:00:00.000Z',
      occurredAt: '2025-03-01T09:00:00.000Z',
      summary: 'Org consents to P',
      hash: 'abc',
    });
    const message = {
      type: 'events',
      position: 7001,
      replay: false,
      entries: [entry],
      changes: [
        { view: 'proposal', id: 'p' },
        { view: 'budgetLine', id: 'ops', budgetId: 'b' },
        { view: 'charter', id: 'charter' },
      ],
    };
    expect(liveServerMessageSchema.parse(message)).toEqual(message);
    expect(
      liveServerMessageSchema.safeParse({ ...message, changes: [{ view: 'budgetLine', id: 'x' }] }).success,
    ).toBe(false);
    expect(liveServerMessageSchema.parse({ type: 'caughtUp', position: 7001 }).type).toBe('caughtUp');
    expect(
      Object.values(liveCloseCodes).every((code) => code === 1001 || (code >= 4000 && code < 5000)),
    ).toBe(true);
    expect(routes.live).toMatchObject({ method: 'GET', path: '/api/live', access: 'reader' });
  });
});
