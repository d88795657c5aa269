import { afterAll, beforeAll } from 'vitest';

/** Opens a target before a suite's tests and closes it after them; the result reads the open target. */
export function openForSuite<T extends { close(): Promise<void> }>(open: () => Promise<T>): () => T {
  let target: T | undefined;
  beforeAll(async () => {
    target = await open();
  });
  afterAll(() => target?.close());
  return () => {
    if (!target) throw new Error('the suite target is not open');
    return target;
  };
}
