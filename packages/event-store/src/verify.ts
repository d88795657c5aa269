import { chainDigest, contentDigest, eventHash, GENESIS_HASH } from './hash.ts';
import type { RecordedEvent, VerifyResult } from './types.ts';

type Problem = Extract<VerifyResult, { ok: false }>['firstBad'];

/**
 * Checks a store's events, read in global order, against their hash chains, and each stream's last
 * event against the head the store recorded for it. Returns the first bad event in global order, or
 * ok with a digest of the whole history that an auditor can note and compare later.
 *
 * @param streamHeads the version each stream's last append left, as the store recorded it (optional:
 *   without it, a removed last event of a stream cannot be told from a stream that ended there).
 * @param options.hashesBindGlobalPosition whether the hashes include each event's global position (the
 *   default, as the PostgreSQL adapter writes them). A store that learns the global position only when
 *   it commits (EventStoreDB/KurrentDB) hashes 0 in its place: pass false to check its events. The order
 *   of events across streams is then bound only by the returned `headHash`, not by each event's hash.
 */
export async function verifyEvents(
  events: AsyncIterable<RecordedEvent>,
  streamHeads?: ReadonlyMap<string, number>,
  options: { hashesBindGlobalPosition?: boolean } = {},
): Promise<VerifyResult> {
  const bindsGlobalPosition = options.hashesBindGlobalPosition ?? true;
  const last = new Map<string, { position: number; hash: Buffer }>();
  let storeDigest: Buffer = GENESIS_HASH;
  let count = 0;
  let headPosition = 0;
  const bad = (problem: Problem): VerifyResult => ({ ok: false, events: count, firstBad: problem });

  // A jump in a stream's positions is either a removed event or a reordered one; which, we only know
  // once we have seen whether the skipped position turns up later.
  let gap: { problem: Problem; streamId: string; missing: number } | undefined;

  for await (const event of events) {
    if (gap) {
      if (event.streamId === gap.streamId && event.streamPosition === gap.missing) {
        return bad({
          ...gap.problem,
          problem: 'order',
          detail: `stream position ${gap.problem.streamPosition} comes before position ${gap.missing} (global position ${event.globalPosition}) in global order`,
        });
      }
      continue;
    }
    count++;
    const previous = last.get(event.streamId);
    const expectedPosition = (previous?.position ?? 0) + 1;
    const at = {
      streamId: event.streamId,
      streamPosition: event.streamPosition,
      globalPosition: event.globalPosition,
    };
    if (event.streamPosition < expectedPosition) {
      return bad({
        ...at,
        problem: 'order',
        detail: `stream position ${event.streamPosition} comes after position ${previous?.position} in global order`,
      });
    }
    if (event.streamPosition > expectedPosition) {
      gap = {
        problem: { ...at, problem: 'order', detail: '' },
        streamId: event.streamId,
        missing: expectedPosition,
      };
      continue;
    }
    const recordedVersion = streamHeads?.get(event.streamId);
    if (streamHeads && (recordedVersion === undefined || event.streamPosition > recordedVersion)) {
      return bad({ ...at, problem: 'unexpected_event', detail: 'no append recorded this event' });
    }
    const content = contentDigest({
      streamId: event.streamId,
      id: event.id,
      type: event.type,
      dataJson: JSON.stringify(event.data),
      metadataJson: JSON.stringify(event.metadata),
    });
    const computed = eventHash(previous?.hash ?? GENESIS_HASH, content, {
      streamPosition: event.streamPosition,
      globalPosition: bindsGlobalPosition ? event.globalPosition : 0,
      recordedAtMs: event.recordedAt.getTime(),
    });
    if (computed.toString('hex') !== event.hash) {
      return bad({
        ...at,
        problem: 'hash_mismatch',
        detail: 'the stored hash does not match the event: its content, position or predecessor was changed',
      });
    }
    last.set(event.streamId, { position: event.streamPosition, hash: computed });
    storeDigest = chainDigest(storeDigest, computed);
    headPosition = event.globalPosition;
  }
  if (gap) {
    return bad({
      streamId: gap.streamId,
      streamPosition: gap.missing,
      globalPosition: null,
      problem: 'missing_event',
      detail: `stream position ${gap.missing} is missing: position ${gap.problem.streamPosition} (global position ${gap.problem.globalPosition}) follows ${gap.missing - 1}`,
    });
  }

  for (const [streamId, version] of streamHeads ?? []) {
    const seen = last.get(streamId)?.position ?? 0;
    if (seen < version) {
      return bad({
        streamId,
        streamPosition: seen + 1,
        globalPosition: null,
        problem: 'missing_event',
        detail: `the stream was appended up to version ${version}, but only ${seen} events are stored`,
      });
    }
  }
  return { ok: true, events: count, headHash: storeDigest.toString('hex'), headPosition };
}
