import type { ExpectedVersion } from './types.ts';

/** Base of every error the event store throws on purpose; `code` is stable. */
export class EventStoreError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConcurrencyError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** The stream's version when the append was refused; 0 when it has no events. */
    readonly actual: number,
  ) {
    super(
      'CONCURRENCY',
      `Stream ${streamId} is at version ${actual}, but version ${String(expected)} was expected: someone else changed it first.`,
    );
  }
}

export class StreamNotFoundError extends EventStoreError {
  constructor(readonly streamId: string) {
    super('STREAM_NOT_FOUND', `Stream ${streamId} has no events.`);
  }
}

export class EventIdConflictError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(
      'EVENT_ID_CONFLICT',
      `Event ${eventId} is already stored, but not as the same append to ${streamId}: event ids must be unique.`,
    );
  }
}

export class InvalidAppendError extends EventStoreError {
  constructor(message: string) {
    super('INVALID_APPEND', message);
  }
}
