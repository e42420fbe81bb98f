/**
 * @module
 * One contender of the signature benchmark, run as its own process so its
 * peak RSS is measured alone. Loads and compiles one rule set, then either
 * `stream`s the capture (decode and match batch by batch, as `teiten rules
 * match` does) or decodes it into `memory` first and times matching alone.
 * Prints, as JSON, the time of each step, the rules loaded and the alerts
 * per sid.
 *
 * Rule sets: `none` (0 rules), `bundled`, `bundled+et` (Emerging Threats as
 * loaded statelessly), `bundled+et-established` (flow:established assumed)
 * and `scaled` (the last plus synthetic variants of the ET rules, each
 * content's last byte changed, so the automaton holds 3,000+ distinct rules).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../src/capture/index.js';
import { BatchBuilder, decodeCapture, type PacketBatch } from '../src/decode/index.js';
import {
  BUNDLED_RULES_PATH,
  CategoryMap,
  DEFAULT_CATEGORIES_PATH,
  SignatureAlerts,
  SignatureEngine,
  loadRuleFiles,
  type SignatureRule,
} from '../src/detect/signatures/index.js';

const RULE_SETS = ['none', 'bundled', 'bundled+et', 'bundled+et-established', 'scaled'] as const;
type RuleSetName = (typeof RULE_SETS)[number];
const SCALED_TARGET = 3000;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function decodeAll(file: string): Promise<PacketBatch[]> {
  const batches: PacketBatch[] = [];
  const builder = new BatchBuilder({ onBatch: (batch) => batches.push(batch) });
  await readCapture(file, { onRecord: (record) => builder.push(record) });
  builder.flush();
  return batches;
}

/** A copy of `rule` with another sid and every content's last byte shifted by `shift`. */
function variant(rule: SignatureRule, shift: number, sid: number): SignatureRule {
  const payload = rule.payload.map((m) => {
    if (m.kind !== 'content') return m;
    const bytes = Uint8Array.from(m.bytes);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1]! + shift) & 0xff;
    return { ...m, bytes };
  });
  return { ...rule, sid, payload };
}

async function ruleSet(name: RuleSetName, etDir: string): Promise<SignatureRule[]> {
  if (name === 'none') return [];
  const et =
    name === 'bundled'
      ? []
      : readdirSync(etDir)
          .filter((f) => f.endsWith('.rules'))
          .sort()
          .map((f) => join(etDir, f));
  const load = await loadRuleFiles([BUNDLED_RULES_PATH, ...et], {
    assumeEstablished: name !== 'bundled+et' && name !== 'bundled',
  });
  if (load.errors.length > 0) throw load.errors[0]!;
  if (name !== 'scaled') return load.rules;
  const etRules = load.rules.filter((r) => r.sid < 9_000_000);
  const rules = [...load.rules];
  for (let copy = 1; rules.length < SCALED_TARGET; copy++) {
    rules.push(...etRules.map((r) => variant(r, copy, 100_000_000 * copy + r.sid)));
  }
  return rules;
}

type Mode = 'stream' | 'memory';

async function run(file: string, name: RuleSetName, mode: Mode, etDir: string): Promise<void> {
  let start = process.hrtime.bigint();
  const rules = await ruleSet(name, etDir);
  const engine = new SignatureEngine(rules, { categories: await CategoryMap.load([DEFAULT_CATEGORIES_PATH]) });
  const compileSeconds = seconds(start);
  const alerts = new SignatureAlerts(1 << 16);
  const perRule = new Float64Array(rules.length);
  let packets = 0;
  const matchBatch = (batch: PacketBatch): void => {
    packets += batch.length;
    engine.match(batch, alerts);
    for (let k = 0; k < alerts.length; k++) perRule[alerts.rule[k]!]!++;
  };
  let decodeSeconds = 0;
  let batches: PacketBatch[] = [];
  if (mode === 'memory') {
    start = process.hrtime.bigint();
    batches = await decodeAll(file);
    decodeSeconds = seconds(start);
  }
  start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  if (mode === 'memory') for (const batch of batches) matchBatch(batch);
  else await decodeCapture(file, { onBatch: matchBatch });
  const runSeconds = seconds(start);
  const used = process.cpuUsage(cpu);
  const bySid: Record<string, number> = {};
  rules.forEach((rule, r) => {
    if (perRule[r]! > 0) bySid[rule.sid] = perRule[r]!;
  });
  const alertTotal = perRule.reduce((n, v) => n + v, 0);
  process.stdout.write(
    `${JSON.stringify({
      ruleSet: name,
      mode,
      rules: rules.length,
      packets,
      compileSeconds,
      decodeSeconds,
      runSeconds,
      runCpuSeconds: (used.user + used.system) / 1e6,
      alerts: alertTotal,
      bySid,
    })}\n`,
  );
}

const [file, name, mode, etDir] = process.argv.slice(2);
if (
  file === undefined ||
  name === undefined ||
  !(RULE_SETS as readonly string[]).includes(name) ||
  (mode !== 'stream' && mode !== 'memory')
) {
  throw new Error(`usage: signature-worker FILE ${RULE_SETS.join('|')} stream|memory [ET_DIR]`);
}
await run(file, name as RuleSetName, mode, etDir ?? '/work/shared/rules/et-open');
