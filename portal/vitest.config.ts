import { defineConfig } from 'vitest/config';

// The portal's tests on their own: `npx vitest run --config portal/vitest.config.ts` from the repo root.
// (The root vitest.config.ts runs the same files as its `portal` project.)
export default defineConfig({
  root: import.meta.dirname,
  test: {
    name: 'portal',
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
