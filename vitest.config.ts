import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Generated repositories are checked with real tools (kubectl, node, python, PostgreSQL): give them time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One test file per core: most of a file's time is spent in the tools it runs, and vitest's default
    // (one worker fewer than the cores) ran CI's 2-core machines one file at a time.
    maxWorkers: availableParallelism(),
  },
});
