import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single worker on
    // the 2-core CI machine. Most files wait on child processes, servers and
    // sockets rather than computing, so two workers overlap those waits.
    maxWorkers: 2,
    // The default output, then every skipped test with what it needs (tool, server, captures).
    reporters: ['default', './test/skip-reporter.ts'],
  },
});
