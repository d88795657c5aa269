import type { EventStore } from '@concord/event-store';
import { type CoalitionOptions, generateCoalition } from './coalition.ts';

export interface AppendCoalitionResult {
  events: number;
  appends: number;
  /** Global position of the last appended event. */
  lastPosition: number;
}

export interface AppendCoalitionOptions {
  /** Appends in flight at once; each still waits for the appends it causally follows. Default 8. */
  concurrency?: number;
  /** Called after each append with the events stored so far. */
  onProgress?: (events: number, total: number) => void;
}

/**
 * Generates a coalition (see `generateCoalition`) and appends it to `store`. Appends run concurrently
 * where the generator says they are independent, so the global order still respects causality: an
 * execution always follows the decision it executes, a stance the opening it answers.
 */
export async function appendCoalition(
  store: EventStore,
  options: CoalitionOptions,
  { concurrency = 8, onProgress }: AppendCoalitionOptions = {},
): Promise<AppendCoalitionResult> {
  let events = 0;
  let appends = 0;
  let lastPosition = 0;
  let failure: unknown;
  const inFlight = new Map<number, Promise<void>>();
  for (const append of generateCoalition(options)) {
    if (failure) break;
    while (inFlight.size >= concurrency) await Promise.race(inFlight.values());
    const waits = [...append.after].flatMap((seq) => inFlight.get(seq) ?? []);
    const stored = (async () => {
      if (waits.length > 0) await Promise.all(waits);
      const result = await store.append(append.streamId, append.events, {
        expectedVersion: append.expectedVersion,
      });
      events += append.events.length;
      appends++;
      lastPosition = Math.max(lastPosition, result.lastGlobalPosition);
      onProgress?.(events, options.events);
    })()
      .catch((error: unknown) => {
        failure ??= error;
      })
      .finally(() => inFlight.delete(append.seq));
    inFlight.set(append.seq, stored);
  }
  await Promise.all(inFlight.values());
  if (failure) throw failure;
  return { events, appends, lastPosition };
}
