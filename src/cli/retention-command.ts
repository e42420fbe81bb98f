/**
 * @module
 * `teiten retention [--db FILE | --store URL] [--retention CLASS=DURATION,…]
 * [--dry-run] [--json]`: records the retention given (in the store's `meta`,
 * so every later run applies the same) and removes the rows of local days
 * before each class's cutoff (`store/retention.ts`). `--dry-run` records
 * nothing and only counts. Says whether the server also expires rows itself
 * (ClickHouse 19.6+ TTL) or the command must be run periodically.
 */
import { formatLocalDate } from '../util/tz.js';
import { formatRetention, parseRetention, type RetentionRun } from '../store/index.js';
import { UsageError } from './errors.js';
import { command, flag, optionalText } from './options.js';
import { writeOut } from './output.js';
import { STORE_SHAPE, withStore } from './store-target.js';

const OPTIONS = { ...STORE_SHAPE, retention: optionalText(), 'dry-run': flag(), json: flag() };

function text(run: RetentionRun, settings: string, dryRun: boolean): string {
  const verb = dryRun ? 'would remove' : 'removed';
  const lines = [`retention: ${settings}`];
  for (const step of run.steps) {
    lines.push(
      `  ${step.class.padEnd(8)} ${step.table.padEnd(28)} keeps ${formatLocalDate(step.keptFromDay)} on: ${verb} ${step.rows.toLocaleString('en')} rows`,
    );
  }
  lines.push(
    run.serverTtl
      ? 'the server also expires old rows itself (TTL set on each table)'
      : 'the server has no TTL (ClickHouse before 19.6, DuckDB): run teiten retention periodically, e.g. daily from cron',
  );
  return `${lines.join('\n')}\n`;
}

export const runRetention = command(OPTIONS, async (values, positionals) => {
  if (positionals.length > 0) throw new UsageError(`retention takes no arguments, got '${positionals[0]}'`);
  let retention;
  try {
    retention = values.retention === undefined ? undefined : parseRetention(values.retention);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UsageError(`--retention: ${error.message}`);
    throw error;
  }
  const dryRun = values['dry-run'];
  const result = await withStore(
    values,
    async (store) => {
      const run = await store.applyRetention(
        dryRun ? { dryRun, ...(retention === undefined ? {} : { retention }) } : {},
      );
      return { run, settings: { ...store.settings.retention, ...(dryRun ? retention : {}) } };
    },
    // Recorded before the run, so this run and every later one apply it; a dry run records nothing.
    !dryRun && retention !== undefined ? { retention } : {},
  );
  if (values.json) {
    await writeOut(`${JSON.stringify({ retention: result.settings, dryRun, ...result.run }, null, 2)}\n`);
  } else await writeOut(text(result.run, formatRetention(result.settings), dryRun));
  return 0;
});
