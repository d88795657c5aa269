import { InvalidAppendError } from './errors.ts';

/** Refuses a stream id no adapter stores: empty, or longer than 500 characters. */
export function assertStreamId(streamId: string): void {
  if (streamId.length === 0 || streamId.length > 500) {
    throw new InvalidAppendError('A stream id must be 1 to 500 characters long.');
  }
}
