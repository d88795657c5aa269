import { InvalidAppendError } from './errors.ts';
import { assertStreamId } from './stream-id.ts';
import type { StreamAt } from './types.ts';

/** The most other streams one append checks (`AppendOptions.unchanged`). */
export const MAX_UNCHANGED = 100;

/** An append's `unchanged` checks, validated, as two lists in the same order. */
export function unchangedStreams(checks: readonly StreamAt[] = []): {
  streamIds: string[];
  versions: number[];
} {
  if (checks.length > MAX_UNCHANGED) {
    throw new InvalidAppendError(`An append checks at most ${MAX_UNCHANGED} other streams.`);
  }
  const streamIds: string[] = [];
  const versions: number[] = [];
  for (const { streamId, version } of checks) {
    assertStreamId(streamId);
    if (!Number.isSafeInteger(version) || version < 0) {
      throw new InvalidAppendError(`A checked version must be a whole number ≥ 0, got ${version}`);
    }
    streamIds.push(streamId);
    versions.push(version);
  }
  return { streamIds, versions };
}
