import { afterAll, beforeAll } from 'vitest';
import { World } from './world.ts';

/**
 * What `create` makes for the tests of the enclosing `describe`: made before them and given to `use`,
 * closed after them. `timeoutMs` bounds the making.
 */
export function forSuite<Made extends { close(): Promise<unknown> }>(
  create: () => Promise<Made>,
  use: (made: Made) => void,
  timeoutMs = 120_000,
): void {
  let made: Made | undefined;
  beforeAll(async () => {
    made = await create();
    use(made);
  }, timeoutMs);
  afterAll(() => made?.close());
}

/**
 * A world for the tests of the enclosing `describe` (`forSuite`), created with `options`; `timeoutMs`
 * (120 s) bounds its creation, which a world seeded by decision may need more for.
 */
export function worldForSuite(
  options: Parameters<typeof World.create>[0] & { timeoutMs?: number },
  use: (world: World) => void,
): void {
  const { timeoutMs, ...worldOptions } = options;
  forSuite(() => World.create(worldOptions), use, timeoutMs);
}
