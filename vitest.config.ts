import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files that need a process of their own: the end-to-end tests (they start the CLI,
 * Prometheus or Chromium, set their own timeouts and keep processes in module state), and
 * world.test.ts, which asks V8 whether objects keep their hidden class, an answer that depends
 * on every object made in the process before.
 */
const ISOLATED = ['test/e2e/**/*.test.ts', 'test/simulation/world.test.ts'];

export default defineConfig({
  test: {
    // Builds dist/cli (the bundled commands the end-to-end tests run) when a source is newer.
    globalSetup: ['test/build-dist.ts'],
    // At least two test files at a time, even on two cores (vitest's default is one file
    // fewer than cores): most end-to-end files wait on child processes (the CLI,
    // Prometheus, Chromium) more than they compute.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**/*.ts'], reporter: ['text-summary', 'html'] },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ISOLATED,
          // The in-process tests share their worker's modules from one file to the next: each
          // file loading the sources afresh cost more than its tests (a second a file).
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
    ],
  },
});
