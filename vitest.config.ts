import { defineConfig } from 'vitest/config';

// One run covers every package. Coverage is measured where the issue sets a floor: the domain.
export default defineConfig({
  test: {
    // Two files at a time: most suites wait on a database, a server or a browser in another process, so
    // one worker (vitest's default on 2 cores) leaves a core idle; the CI run takes about half as long.
    maxWorkers: 2,
    projects: [
      {
        // Property tests run hundreds of generated histories; on 2 busy cores that outlasts the 5 s default.
        test: { name: 'domain', include: ['packages/domain/test/**/*.test.ts'], testTimeout: 120_000 },
      },
      {
        test: {
          name: 'event-store',
          include: ['packages/event-store/test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'projections',
          include: ['packages/projections/test/**/*.test.ts', 'services/cli/test/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'transparency',
          include: ['packages/transparency/test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'contracts', include: ['packages/contracts/test/**/*.test.ts'] } },
      {
        test: {
          name: 'api',
          include: ['services/api/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'repo', include: ['test/**/*.test.ts'] } },
      {
        test: {
          name: 'portal',
          include: ['portal/test/**/*.test.ts'],
          testTimeout: 120_000,
          // The first file may build the portal.
          hookTimeout: 300_000,
        },
      },
    ],
    coverage: {
      provider: 'v8',
      include: ['packages/domain/src/**'],
      reporter: ['text-summary'],
      thresholds: { lines: 90 },
    },
  },
});
