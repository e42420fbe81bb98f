/**
 * @module
 * Lists every skipped test at the end of a run with its file and full name
 * (and the note of `ctx.skip(note)`): vitest's default reporter shows only
 * how many were skipped, and a skip for a missing tool or server must say
 * why in the run's own output. The names state what the tests need (e.g.
 * "needs CLICKHOUSE_URL", "in headless Chromium", "on real captures"); the
 * files also log their reason when they decide to skip.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests('skipped')) {
        const result = test.result();
        const note = result.state === 'skipped' && result.note !== undefined ? ` (${result.note})` : '';
        lines.push(`  ${module.relativeModuleId} > ${test.fullName}${note}`);
      }
    }
    if (lines.length > 0)
      process.stdout.write(`\nSkipped (${lines.length}), with what each needs:\n${lines.join('\n')}\n`);
  }
}
