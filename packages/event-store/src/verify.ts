import { chainDigest, contentDigest, eventHash, GENESIS_HASH } from './hash.ts';
import type { RecordedEvent, VerifyResult } from './types.ts';

type Problem = Extract<VerifyResult, { ok: false }>['firstBad'];

/** A stream's head as `verifyEvents` checks it: the recorded version, with the head hash when it is known. */
export type ExpectedStreamHead = number | { version: number; hash?: string };

/** Each stream's recorded head, by stream id. */
export type ExpectedStreamHeads = ReadonlyMap<string, ExpectedStreamHead>;

/**
 * Checks a store's events, read in global order, against their hash chains, and each stream's last
 * event against the head the store recorded for it. Returns the first bad event in global order (then
 * the first bad stream head, in the order the heads are given), or ok with a digest of the whole history
 * that an auditor can note and compare later.
 *
 * @param streamHeads each stream's recorded head: its version and, when known, the hash of the event at
 *   that version. Optional: without it, a removed last event of a stream cannot be told from a stream
 *   that ended there. Given as a map, events beyond a stream's recorded version are named as they are
 *   walked; given as a function, it is called once the events are walked (for heads that follow the
 *   events, as in an export), and returning undefined skips the head checks.
 *   Every stream walked must have a head, and every head must match the walked chain: a lower version
 *   (`unexpected_event`), a higher one (`missing_event`) or another hash at the same version
 *   (`stream_head_mismatch`) is reported.
 * @param options.hashesBindGlobalPosition whether the hashes include each event's global position (the
 *   default, as the PostgreSQL adapter writes them). A store that learns the global position only when
 *   it commits (EventStoreDB/KurrentDB) hashes 0 in its place: pass false to check its events. The order
 *   of events across streams is then bound only by the returned `headHash`, not by each event's hash.
 */
export async function verifyEvents(
  events: AsyncIterable<RecordedEvent>,
  streamHeads?:
    | ExpectedStreamHeads
    | (() => ExpectedStreamHeads | undefined | Promise<ExpectedStreamHeads | undefined>),
  options: { hashesBindGlobalPosition?: boolean } = {},
): Promise<VerifyResult> {
  const bindsGlobalPosition = options.hashesBindGlobalPosition ?? true;
  const upfront = typeof streamHeads === 'function' ? undefined : streamHeads;
  const last = new Map<string, { position: number; hash: Buffer; globalPosition: number; first: number }>();
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
    const recorded = upfront?.get(event.streamId);
    const recordedVersion = typeof recorded === 'number' ? recorded : recorded?.version;
    if (upfront && (recordedVersion === undefined || event.streamPosition > recordedVersion)) {
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
    last.set(event.streamId, {
      position: event.streamPosition,
      hash: computed,
      globalPosition: event.globalPosition,
      first: previous?.first ?? event.globalPosition,
    });
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

  const heads = typeof streamHeads === 'function' ? await streamHeads() : streamHeads;
  if (heads) {
    const problem = checkHeads(heads, last);
    if (problem) return bad(problem);
  }
  return { ok: true, events: count, headHash: storeDigest.toString('hex'), headPosition };
}

/** The first stream whose recorded head differs from the end of its walked chain, if any. */
function checkHeads(
  heads: ExpectedStreamHeads,
  last: ReadonlyMap<string, { position: number; hash: Buffer; globalPosition: number; first: number }>,
): Problem | undefined {
  for (const [streamId, head] of heads) {
    const version = typeof head === 'number' ? head : head.version;
    const hash = typeof head === 'number' ? undefined : head.hash;
    const walked = last.get(streamId);
    const seen = walked?.position ?? 0;
    if (seen < version) {
      return {
        streamId,
        streamPosition: seen + 1,
        globalPosition: null,
        problem: 'missing_event',
        detail: `the stream was appended up to version ${version}, but only ${seen} events are stored`,
      };
    }
    if (seen > version) {
      return {
        streamId,
        streamPosition: version + 1,
        globalPosition: null,
        problem: 'unexpected_event',
        detail: `no append recorded this event: the stream's recorded version is ${version}, but ${seen} events are stored`,
      };
    }
    if (walked && hash !== undefined && walked.hash.toString('hex') !== hash.toLowerCase()) {
      return {
        streamId,
        streamPosition: version,
        globalPosition: walked.globalPosition,
        problem: 'stream_head_mismatch',
        detail: `the stream's recorded head hash ${hash} is not the hash of its event at version ${version}`,
      };
    }
  }
  for (const [streamId, walked] of last) {
    if (!heads.has(streamId)) {
      return {
        streamId,
        streamPosition: 1,
        globalPosition: walked.first,
        problem: 'unexpected_event',
        detail: 'no append recorded this stream: it has no recorded head',
      };
    }
  }
  return undefined;
}
