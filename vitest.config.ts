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
          // A guard against hangs, not a speed target: with two files at a time the tests that spawn a
          // server and a burst of commands take over a minute on a busy 2-core machine.
          testTimeout: 180_000,
          hookTimeout: 60_000,
        },
      },
      { test: { name: 'repo', include: ['test/**/*.test.ts'] } },
      {
        test: {
          name: 'portal',
          include: ['portal/test/**/*.test.ts'],
          // The demo coalition, seeded once for the run (each browser test file starts on a copy).
          globalSetup: ['portal/test/helpers/global-setup.ts'],
          // Against hangs: a browser walk beside another file's takes minutes on a busy 2-core machine.
          testTimeout: 300_000,
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
