/**
 * @module
 * `teiten accuracy [--scenario NAME|FILE]… [--scale F] [--seed N] [--json]`:
 * simulates each scenario (default: every bundled one), ingests it into a
 * fresh in-memory store and compares every published figure with the
 * simulator's truth. Exits 1 when any figure differs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, type Check, type ScenarioRun } from '../accuracy/index.js';
import { bundledScenarioNames } from '../simulate/index.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';
import { command, flag, parsed, texts } from './options.js';
import { scaleValue, wholeNumber } from './parse-values.js';

const OPTIONS = {
  scenario: texts(),
  scale: parsed(scaleValue).optional(),
  seed: parsed(wholeNumber(0)).optional(),
  json: flag(),
};

/** Differences listed per scenario in the text output. */
const SHOWN_DIFFERENCES = 10;

function tableLines(run: ScenarioRun): string[] {
  const byTable = new Map<string, { figures: number; differ: number }>();
  for (const c of run.checks) {
    const t = byTable.get(c.table) ?? { figures: 0, differ: 0 };
    t.figures += 1;
    if (!c.ok) t.differ += 1;
    byTable.set(c.table, t);
  }
  const width = Math.max(...[...byTable.keys()].map((k) => k.length));
  return [...byTable].map(
    ([table, t]) =>
      `  ${table.padEnd(width)}  ${String(t.figures).padStart(7)} figures  ${String(t.differ).padStart(5)} differ`,
  );
}

const describe = (c: Check): string =>
  `  ${c.period} ${c.table} ${c.item} ${c.field}: truth ${c.expected}, teiten ${c.actual}`;

function report(run: ScenarioRun): string {
  const failed = run.checks.filter((c) => !c.ok);
  const periods = new Set(run.checks.map((c) => c.period));
  return [
    `${run.scenario}: ${run.packets.toLocaleString('en-US')} packets, periods ${[...periods].join(', ')} ` +
      `(simulate ${run.simulateSec.toFixed(1)} s, ingest ${run.ingestSec.toFixed(1)} s)`,
    ...tableLines(run),
    failed.length === 0
      ? `  all ${run.checks.length} figures equal the truth`
      : `  ${failed.length} of ${run.checks.length} figures differ:`,
    ...failed.slice(0, SHOWN_DIFFERENCES).map(describe),
    '',
  ].join('\n');
}

export const runAccuracy = command(OPTIONS, async (values, positionals) => {
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument '${positionals[0]}' (name scenarios with --scenario)`);
  const scenarios = values.scenario ?? bundledScenarioNames();
  const { scale, seed, json } = values;
  const runs: ScenarioRun[] = [];
  for (const scenario of scenarios) {
    const workDir = mkdtempSync(join(tmpdir(), 'teiten-accuracy-'));
    try {
      const run = await runScenario(scenario, {
        workDir,
        ...(scale === undefined ? {} : { scale }),
        ...(seed === undefined ? {} : { seed }),
      });
      runs.push(run);
      if (!json) await writeOut(report(run));
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  }
  if (json) {
    const out = runs.map((r) => ({ ...r, differences: r.checks.filter((c) => !c.ok), checks: r.checks.length }));
    await writeOut(`${JSON.stringify(out, null, 2)}\n`);
  }
  return runs.every((r) => r.checks.every((c) => c.ok)) ? 0 : 1;
});
