/**
 * @module
 * The ingest command's detection options as a `DetectionSetup`: `--rules`
 * files added to the bundled set (or instead of it with `--no-bundled`),
 * `--categories` mappings and `--no-signatures`. (Attack thresholds are the
 * telescope's, not an ingest's: `teiten detect --period P --rerun`.)
 * Rules are loaded once for every capture of the command; a rule syntax
 * error is a usage error naming file and line, and skipped rules (an
 * unsupported keyword) are listed on stderr.
 */

import { existsSync } from 'node:fs';
import { DetectionSetupError, loadDetectionSetup, type DetectionSetup } from '../ingest/index.js';
import { UsageError } from './errors.js';
import { flag, texts, type OptionValues } from './options.js';

/** The detection options (declared for parseArgs in `commands.ts`). */
export const DETECTION_SHAPE = { rules: texts(), categories: texts(), 'no-bundled': flag(), 'no-signatures': flag() };

/** The setup the options ask for (none given: the defaults); writes skipped-rule warnings to stderr unless `quiet`. */
export async function detectionSetupOf(
  values: Partial<OptionValues<typeof DETECTION_SHAPE>>,
  options: { quiet: boolean },
): Promise<DetectionSetup> {
  const signatures = values['no-signatures'] !== true;
  const noBundled = values['no-bundled'] === true;
  const ruleFiles = values.rules ?? [];
  const categoryFiles = values.categories ?? [];
  if (!signatures && (ruleFiles.length > 0 || categoryFiles.length > 0 || noBundled)) {
    throw new UsageError('--no-signatures cannot be combined with --rules, --categories or --no-bundled');
  }
  if (noBundled && ruleFiles.length === 0) throw new UsageError('--no-bundled needs at least one --rules FILE');
  for (const [option, files] of [
    ['rules', ruleFiles],
    ['categories', categoryFiles],
  ] as const) {
    const missing = files.find((f) => !existsSync(f));
    if (missing !== undefined) throw new UsageError(`--${option} ${missing}: no such file`);
  }
  let setup: DetectionSetup;
  try {
    setup = await loadDetectionSetup({
      signatures,
      bundledRules: !noBundled,
      ruleFiles,
      categoryFiles,
    });
  } catch (error: unknown) {
    if (error instanceof DetectionSetupError) throw new UsageError(error.message);
    throw error;
  }
  const skipped = setup.signatures?.skipped ?? [];
  if (!options.quiet && skipped.length > 0) {
    const first = skipped[0]!;
    process.stderr.write(
      `teiten: warning: skipped ${skipped.length} rule(s) with unsupported keywords (see teiten rules check), ` +
        `e.g. sid ${first.sid ?? '?'}: ${first.keyword}\n`,
    );
  }
  return setup;
}

/** One line for the text output: which rules were loaded. */
export function describeSetup(setup: DetectionSetup): string {
  const sig = setup.signatures;
  if (sig === null) return 'detection: signatures off; backscatter and scanners on';
  const files = sig.ruleFiles.map((f) => `${f.file} (${f.rules})`).join(', ');
  return `detection: ${sig.rules.length} signatures loaded from ${files}${sig.skipped.length > 0 ? `, ${sig.skipped.length} skipped` : ''}`;
}
