import { defineConfig } from 'vitest/config';

/** Files that share the local ClickHouse cluster: some stop and restart its nodes, so none may overlap another. */
const CLUSTER_TESTS = 'test/cluster/**/*.test.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['./test/temp-root.ts'],
    // The default output, then every skipped test with what it needs (tool, server, captures).
    reporters: ['default', './test/skip-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [CLUSTER_TESTS],
          // Vitest's default is one worker per core minus one: a single worker on
          // the 2-core CI machine. Most files wait on child processes, servers and
          // sockets rather than computing, so two workers overlap those waits.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        // After the main group, one file at a time.
        test: { name: 'cluster', include: [CLUSTER_TESTS], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
