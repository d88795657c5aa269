import { type EventType, eventSchemaVersions, upcast } from '@concord/domain';
import { generateCoalition } from '@concord/generator';
import { describe, expect, it } from 'vitest';
import { decode } from '../src/index.ts';

describe('reading stored events', () => {
  it('reads an event stored before some of its fields existed as the domain does', () => {
    // Documents, reasons and deciding groups were added to existing event types with defaults, in the
    // same schema version: events stored before lack them. Every field the schema accepts an event
    // without is left out here, as an older release would have stored it.
    let filledIn = 0;
    let position = 0;
    for (const append of generateCoalition({ events: 3000, seed: 11 })) {
      for (const event of append.events) {
        const type = event.type as EventType;
        const version = event.metadata?.schemaVersion ?? eventSchemaVersions[type];
        const data = { ...(event.data as Record<string, unknown>) };
        const left: string[] = [];
        for (const field of Object.keys(data)) {
          const { [field]: _left, ...without } = data;
          try {
            upcast(type, version, without);
          } catch {
            continue;
          }
          delete data[field];
          left.push(field);
        }
        const domain = upcast(type, version, data);
        const projected = decode({
          ...event,
          data,
          metadata: { ...event.metadata, schemaVersion: version },
          streamId: append.streamId,
          streamPosition: 1,
          globalPosition: ++position,
          recordedAt: new Date('2026-01-01T00:00:00Z'),
          hash: '00',
        });
        expect(projected.event).toEqual(domain);
        if (left.some((field) => Object.hasOwn(domain.data, field))) filledIn++;
      }
    }
    // The history has such events: the comparison above did meet fields left out that the schema filled in.
    expect(filledIn).toBeGreaterThan(100);
  });
});
