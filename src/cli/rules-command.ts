/**
 * @module
 * `teiten rules check [FILE...]` and `teiten rules match CAPTURE...`.
 *
 * check: loads rule files (the bundled set without FILE) and lists what was
 * loaded, what was skipped (with the unsupported keyword) and what failed to
 * parse (with file and line); exit 1 on a syntax error.
 *
 * match: loads the bundled set plus `--rules` files, maps them to report
 * categories (default mapping plus `--categories` files), matches every
 * packet of the captures (threshold state carries over from one capture to
 * the next, in packet time) and prints alerts by category and signature.
 */
import {
  BUNDLED_RULES_PATH,
  CategoryMap,
  DEFAULT_CATEGORIES_PATH,
  SIGNATURE_CATEGORIES,
  SignatureAlerts,
  SignatureEngine,
  loadRuleFiles,
  parseVariableAssignment,
  type RuleLoad,
  type SkippedRule,
} from '../detect/index.js';
import type { PacketBatch } from '../decode/index.js';
import { runPipeline } from '../pipeline/index.js';
import { command, flag, texts, type OptionValues } from './options.js';
import { UsageError } from './errors.js';
import { writeOut } from './output.js';

const SUBCOMMANDS = ['check', 'match'] as const;
const EXAMPLE_SIDS = 3;

const OPTIONS = {
  rules: texts(),
  categories: texts(),
  'no-bundled': flag(),
  var: texts(),
  'assume-established': flag(),
  json: flag(),
};
type RulesOptions = OptionValues<typeof OPTIONS>;

function loadOptions(values: RulesOptions): {
  variables: Record<string, string>;
  assumeEstablished: boolean;
} {
  const variables: Record<string, string> = {};
  for (const text of values.var ?? []) {
    try {
      const [name, value] = parseVariableAssignment(text);
      variables[name] = value;
    } catch (error: unknown) {
      throw new UsageError(`--var ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { variables, assumeEstablished: values['assume-established'] };
}

function byKeyword(skipped: readonly SkippedRule[]): Array<{ keyword: string; rules: number; sids: number[] }> {
  const groups = new Map<string, number[]>();
  for (const s of skipped) {
    const list = groups.get(s.keyword) ?? [];
    if (s.sid !== null) list.push(s.sid);
    groups.set(s.keyword, list);
  }
  return [...groups]
    .map(([keyword, sids]) => ({ keyword, rules: sids.length, sids }))
    .sort((a, b) => b.rules - a.rules || a.keyword.localeCompare(b.keyword));
}

async function check(values: RulesOptions, files: string[]): Promise<number> {
  const paths = files.length > 0 ? files : [BUNDLED_RULES_PATH];
  const load = await loadRuleFiles(paths, loadOptions(values));
  const perFile = paths.map((file) => ({
    file,
    loaded: load.rules.filter((r) => r.origin.file === file).length,
    skipped: load.skipped.filter((s) => s.file === file).length,
    errors: load.errors.filter((e) => e.file === file).length,
  }));
  const errors = load.errors.map((e) => ({ file: e.file, line: e.line, sid: e.sid, message: e.message }));
  if (values.json) {
    const report = {
      files: perFile,
      loaded: load.rules.length,
      skippedByKeyword: byKeyword(load.skipped).map(({ keyword, rules }) => ({ keyword, rules })),
      skipped: load.skipped,
      errors,
    };
    await writeOut(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const lines = perFile.map((f) => `${f.file}: loaded ${f.loaded}, skipped ${f.skipped}, errors ${f.errors}`);
    lines.push(`total: loaded ${load.rules.length}, skipped ${load.skipped.length}, errors ${load.errors.length}`);
    if (load.skipped.length > 0) {
      lines.push('skipped by keyword:');
      for (const group of byKeyword(load.skipped)) lines.push(`  ${group.keyword}: ${group.rules}`);
      lines.push('skipped rules:');
      for (const s of load.skipped) lines.push(`  ${s.file}:${s.line} sid ${s.sid ?? '?'}: ${s.keyword}: ${s.reason}`);
    }
    if (errors.length > 0) {
      lines.push('errors:');
      for (const e of errors) lines.push(`  ${e.message}`);
    }
    await writeOut(`${lines.join('\n')}\n`);
  }
  return load.errors.length > 0 ? 1 : 0;
}

function warnSkipped(load: RuleLoad): void {
  for (const group of byKeyword(load.skipped)) {
    const examples = group.sids.slice(0, EXAMPLE_SIDS).join(', ');
    process.stderr.write(
      `teiten: warning: skipped ${group.rules} rule(s) using ${group.keyword} (sid ${examples}${group.rules > EXAMPLE_SIDS ? ', …' : ''})\n`,
    );
  }
}

async function match(values: RulesOptions, captures: string[]): Promise<number> {
  if (captures.length === 0) throw new UsageError('rules match expects at least one capture file');
  const ruleFiles = [...(values['no-bundled'] ? [] : [BUNDLED_RULES_PATH]), ...(values.rules ?? [])];
  if (ruleFiles.length === 0) throw new UsageError('--no-bundled needs at least one --rules FILE');
  const load = await loadRuleFiles(ruleFiles, loadOptions(values));
  if (load.errors.length > 0) {
    const first = load.errors[0]!;
    throw new Error(`Cannot load rules: ${load.errors.length} syntax error(s), first: ${first.message}`, {
      cause: first,
    });
  }
  warnSkipped(load);
  const categories = await CategoryMap.load([DEFAULT_CATEGORIES_PATH, ...(values.categories ?? [])]);
  const engine = new SignatureEngine(load.rules, { categories });
  const alerts = new SignatureAlerts();
  const perRule = new Float64Array(load.rules.length);
  let packets = 0;
  let alertedPackets = 0;
  // Signatures read the decoded packet only: no GeoIP lookups.
  const sink = {
    push: ({ batch }: { batch: PacketBatch }): void => {
      packets += batch.length;
      engine.match(batch, alerts);
      let last = -1;
      for (let k = 0; k < alerts.length; k++) {
        perRule[alerts.rule[k]!]!++;
        if (alerts.packet[k] !== last) alertedPackets++;
        last = alerts.packet[k]!;
      }
    },
  };
  for (const capture of captures) await runPipeline(capture, { geo: null, sinks: [sink] });
  const byCategory = Object.fromEntries(SIGNATURE_CATEGORIES.map((c) => [c, 0])) as Record<string, number>;
  const signatures = load.rules
    .map((rule, r) => ({
      sid: rule.sid,
      rev: rule.rev,
      msg: rule.msg,
      category: engine.categoryOf(r),
      categoryReason: engine.categories[r]!.reason,
      alerts: perRule[r]!,
    }))
    .filter((s) => s.alerts > 0)
    .sort((a, b) => b.alerts - a.alerts || a.sid - b.sid);
  for (const s of signatures) byCategory[s.category]! += s.alerts;
  const total = signatures.reduce((n, s) => n + s.alerts, 0);
  const summary = {
    captures,
    packets,
    alertedPackets,
    alerts: total,
    rules: { loaded: load.rules.length, skipped: load.skipped.length },
    byCategory,
    signatures,
  };
  if (values.json) {
    await writeOut(
      `${JSON.stringify({ ...summary, skippedByKeyword: byKeyword(load.skipped).map(({ keyword, rules }) => ({ keyword, rules })) }, null, 2)}\n`,
    );
    return 0;
  }
  const lines = [
    `packets: ${packets}, alerts: ${total} on ${alertedPackets} packets, rules: ${load.rules.length} loaded, ${load.skipped.length} skipped`,
    'alerts by category:',
    ...SIGNATURE_CATEGORIES.map((c) => `  ${c.padEnd(10)} ${String(byCategory[c]).padStart(10)}`),
    'alerts by signature:',
    ...signatures.map(
      (s) => `  ${String(s.alerts).padStart(10)}  ${String(s.sid).padStart(8)}  ${s.category.padEnd(10)} ${s.msg}`,
    ),
  ];
  await writeOut(`${lines.join('\n')}\n`);
  return 0;
}

export const runRules = command(OPTIONS, async (values, positionals) => {
  const [sub, ...rest] = positionals;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(
      `rules expects a subcommand: ${SUBCOMMANDS.join(' or ')}${sub === undefined ? '' : `, got '${sub}'`}`,
    );
  }
  return sub === 'check' ? check(values, rest) : match(values, rest);
});
