import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/cli (the bundled commands the end-to-end tests run) when a source is newer.
    globalSetup: ['test/build-dist.ts'],
    // At least two test files at a time, even on two cores (vitest's default is one file
    // fewer than cores): most end-to-end files wait on child processes (the CLI,
    // Prometheus, Chromium) more than they compute.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**/*.ts'], reporter: ['text-summary', 'html'] },
  },
});
