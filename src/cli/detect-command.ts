/**
 * @module
 * `teiten detect CAPTURE... --addresses N|--sensor-cidr CIDR [--json] ...`:
 * runs the backscatter, scanner and reflection detectors over the captures
 * (as one sensor's traffic) and prints the DoS attacks, the per-day
 * backscatter tables, the scanners with their fingerprints and the
 * reflection signals, each with the reason it was reported.
 *
 * A capture that fails to read is reported on stderr after its packets up to
 * the fault were used; the others still count, and the exit code is 1.
 *
 * `teiten detect --period P [--db FILE|--store URL] [--sensor NAME]...
 * [--attack-… ] [--rerun]`: the period's attacks derived again from the
 * store's backscatter evidence over the telescope (the named sensors, or
 * all) with the given thresholds; `--rerun` records those thresholds as the
 * store's, one meta write, so every statistic and report uses them from then
 * on — no stored attack is left to disagree. The `--scan-…` thresholds work
 * the same way for the scanners derived from the stored scanner evidence.
 */
import {
  detectionScopes,
  readAttackSettings,
  readScanSettings,
  recordAttackSettings,
  recordScanSettings,
  telescopeAttacks,
  telescopeScanners,
} from '../analyse/index.js';
import { ipv4CountryOf, openGeoResolver } from '../classify/index.js';
import {
  BackscatterDetector,
  checkBackscatterOptions,
  checkScanThresholds,
  ReflectionDetector,
  ScannerDetector,
  type AttackSettings,
  type BackscatterAttack,
  type BackscatterResult,
  type ReflectionResult,
  type ScannerResult,
  type ScanThresholds,
} from '../detect/index.js';
import { runPipeline } from '../pipeline/index.js';
import { isoSeconds } from '../ingest/index.js';
import { parseCidr } from '../util/ip-address.js';
import { formatCliError, UsageError } from './errors.js';
import { command, flag, parsed, optionalText, texts, type OptionValues } from './options.js';
import { OutputClosed, writeOut } from './output.js';
import { wholeNumber } from './parse-values.js';
import { withPeriod } from './period-scope.js';
import { SENSOR_SELECTION_SHAPE } from './sensor-selection.js';
import { STORE_SHAPE } from './store-target.js';

const IPV4_BITS = 32;
const DEFAULT_TOP = 20;

interface Sensor {
  monitored: number;
  contains: ((addr: number) => boolean) | undefined;
}

function sensorOf(values: DetectOptions): Sensor {
  const { addresses } = values;
  const cidrs = values['sensor-cidr'] ?? [];
  if (addresses === undefined && cidrs.length === 0) {
    throw new UsageError('give the monitored space: --addresses N or --sensor-cidr CIDR (repeatable)');
  }
  if (addresses !== undefined && addresses > 2 ** IPV4_BITS)
    throw new UsageError(`--addresses must be at most 2^32, got ${addresses}`);
  const nets = cidrs.map((text) => {
    let cidr;
    try {
      cidr = parseCidr(text);
    } catch (error: unknown) {
      throw new UsageError(`--sensor-cidr '${text}': ${(error as Error).message}`);
    }
    if (cidr.version !== 4) throw new UsageError(`--sensor-cidr '${text}': only IPv4 networks are monitored`);
    const mask = cidr.prefixLen === 0 ? 0 : (~0 << (IPV4_BITS - cidr.prefixLen)) >>> 0;
    return { start: (cidr.start & mask) >>> 0, mask, size: 2 ** (IPV4_BITS - cidr.prefixLen) };
  });
  const contains =
    nets.length === 0 ? undefined : (addr: number): boolean => nets.some((n) => (addr & n.mask) >>> 0 === n.start);
  return {
    monitored:
      addresses ??
      Math.min(
        2 ** IPV4_BITS,
        nets.reduce((s, n) => s + n.size, 0),
      ),
    contains,
  };
}

const iso = (sec: number): string => new Date(Math.floor(sec * 1000)).toISOString().replace('.000Z', 'Z');
const num = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
/** `n` and the noun, plural unless n is 1 ("1 victim", "2 victims"; `plural` when not noun + s). */
const count = (n: number, noun: string, plural = `${noun}s`): string => `${num(n)} ${n === 1 ? noun : plural}`;
const cc = (code: string): string => (code === '' ? '--' : code);

function settingsText(s: AttackSettings, monitored: number): string {
  return (
    `≥ ${s.minPackets} packets, ≥ ${s.minDurationSec} s, ≥ ${s.minWindowPackets} packets in ${s.windowSec} s, ≥ ${s.minRatePps} pps,` +
    ` ≥ ${s.minSensorAddresses} telescope addresses; flow timeout ${s.flowTimeoutSec} s; ${count(monitored, 'monitored IPv4 address', 'monitored IPv4 addresses')}`
  );
}

function attackLines(attacks: readonly BackscatterAttack[], top: number, sensorName: (id: number) => string): string[] {
  const lines: string[] = [];
  for (const a of attacks.slice(0, top)) {
    const sensors =
      a.sensors.length > 1
        ? `  sensors ${a.sensors.map((s) => `${sensorName(s.sensorId)} ${num(s.packets)}`).join(', ')}`
        : '';
    lines.push(
      `  ${iso(a.start)}  ${a.victim.padEnd(15)} ${cc(a.countryCode)} ${a.protocol.padEnd(4)} ${num(a.packets).padStart(9)} pkts` +
        ` ${num(a.durationSec).padStart(8)} s  peak ${num(a.peakRatePps)} pps  mean ${num(a.meanRatePps)} pps` +
        `  extrapolated ${a.extrapolatedRatePps === null ? 'withheld' : `${num(a.extrapolatedRatePps)} pps`}` +
        `  ports ${a.victimPorts
          .slice(0, 4)
          .map((p) => `${p.service}×${p.packets}`)
          .join(' ')}${sensors}`,
    );
    lines.push(`    why: ${a.why}`);
  }
  if (attacks.length > top) lines.push(`  … ${attacks.length - top} more (use --json)`);
  const withheld = attacks.find((a) => a.extrapolationWithheld !== null)?.extrapolationWithheld;
  if (withheld !== undefined && withheld !== null) lines.push(`  rates ${withheld}`);
  return lines;
}

function backscatterText(r: BackscatterResult, top: number): string[] {
  const lines = [
    `DoS backscatter: ${count(r.attacks.length, 'attack')} from ${count(r.stats.packets, 'response packet')}` +
      ` (${settingsText(r.settings, r.monitoredAddresses)})`,
  ];
  lines.push(...attackLines(r.attacks, top, () => ''));
  for (const d of r.days) {
    const ports = d.byVictimPort
      .slice(0, 5)
      .map((p) => `${p.key} ${num(p.packets)}`)
      .join(', ');
    const countries = d.byCountry
      .slice(0, 5)
      .map((c) => `${cc(c.key)} ${num(c.packets)}`)
      .join(', ');
    lines.push(
      `  ${d.day}: ${count(d.packets, 'packet')}, ${count(d.victims, 'victim')}, ${count(d.attacks, 'attack')}; ports ${ports}; countries ${countries}`,
    );
  }
  const s = r.stats;
  lines.push(
    `  not attributed: ${s.ipv6} IPv6, ${s.noQuote} ICMP errors without quote, ${s.quoteNotFromSensor} quoting another source,` +
      ` ${s.outsideSensor} outside the sensor space`,
  );
  return lines;
}

function scannerText(r: ScannerResult, top: number): string[] {
  const lines = [
    `Scanners: ${num(r.sources.length)} reported of ${count(r.stats.sources, 'source')} sending ${count(r.stats.probes, 'probe')}` +
      ` (window ${r.windowSec} s; wide ≥ ${r.thresholds.minAddresses} addresses, deep ≥ ${r.thresholds.minServices} services;` +
      ` a tool needs ≥ ${r.thresholds.minToolPackets} matching probes and ≥ ${r.thresholds.minToolFraction * 100} % of them)`,
  ];
  for (const s of r.sources.slice(0, top)) {
    const tools =
      s.tools.length === 0
        ? ''
        : `  tools ${s.evidence
            .filter((e) => e.tagged)
            .map((e) => `${e.tool} ${(e.fraction * 100).toFixed(1)} %`)
            .join(', ')}`;
    lines.push(
      `  ${s.source.padEnd(15)} ${cc(s.countryCode)} ${s.scanType.padEnd(10)} ${num(s.packets).padStart(8)} probes` +
        ` ${num(s.addresses).padStart(7)} addresses ${num(s.services).padStart(6)} services  ${iso(s.firstSeen)}..${iso(s.lastSeen)}` +
        `  top ${s.topServices
          .slice(0, 3)
          .map((p) => p.service)
          .join(' ')}${tools}`,
    );
  }
  if (r.sources.length > top) lines.push(`  … ${r.sources.length - top} more (use --json)`);
  return lines;
}

function reflectionText(r: ReflectionResult): string[] {
  const lines = [
    `Reflection signals: ${count(r.stats.replies, 'reply', 'replies')} from reflector ports, ${count(r.stats.quotedQueries, 'ICMP error')} quoting spoofed queries`,
  ];
  for (const row of r.rows) {
    lines.push(
      `  ${row.day} ${row.service.padEnd(9)} ${row.protocol.padEnd(12)} ${num(row.replies).padStart(8)} replies` +
        ` (mean ${row.meanReplyBytes} B) ${num(row.quotedQueries).padStart(6)} quoted  ${num(row.reflectors)} reflectors`,
    );
  }
  return lines;
}

/**
 * The thresholds the options give (only those given, by option name →
 * setting), checked with `check` so a bad one is a usage error.
 */
function givenSettings<T, K extends string>(
  values: Partial<Record<NoInfer<K>, number>>,
  options: Readonly<Record<K, keyof T>>,
  check: (given: Partial<T>) => unknown,
): Partial<T> {
  const given: Partial<T> = {};
  for (const [option, key] of Object.entries(options) as Array<[K, keyof T]>) {
    const v = values[option];
    if (v !== undefined) (given as Record<keyof T, number>)[key] = v;
  }
  try {
    check(given);
  } catch (error: unknown) {
    throw error instanceof RangeError ? new UsageError(error.message) : error;
  }
  return given;
}

const ATTACK_OPTIONS = {
  'attack-min-packets': 'minPackets',
  'attack-min-duration': 'minDurationSec',
  'attack-min-window-packets': 'minWindowPackets',
  'attack-timeout': 'flowTimeoutSec',
} as const satisfies Readonly<Record<string, keyof AttackSettings>>;

const SCAN_OPTIONS = {
  'scan-min-addresses': 'minAddresses',
  'scan-min-services': 'minServices',
  'scan-narrow': 'narrow',
  'scan-min-tool-packets': 'minToolPackets',
  'scan-min-tool-fraction': 'minToolFraction',
} as const satisfies Readonly<Record<string, keyof ScanThresholds>>;

function nonNegative(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new RangeError(`must be a number ≥ 0, got '${value}'`);
  return n;
}

const SETTING = parsed(nonNegative).optional();

/** A threshold option for each option of `table`. */
function settingShape<K extends string>(table: Readonly<Record<K, unknown>>): Record<K, typeof SETTING> {
  return Object.fromEntries(Object.keys(table).map((option) => [option, SETTING])) as Record<K, typeof SETTING>;
}

const OPTIONS = {
  addresses: parsed(wholeNumber(1)).optional(),
  'sensor-cidr': texts(),
  // The store only with --period: no --wait (declared in commands.ts without it).
  db: STORE_SHAPE.db,
  store: STORE_SHAPE.store,
  period: optionalText(),
  ...SENSOR_SELECTION_SHAPE,
  rerun: flag(),
  json: flag(),
  ...settingShape(ATTACK_OPTIONS),
  ...settingShape(SCAN_OPTIONS),
  window: parsed(wholeNumber(1)).optional(),
  'time-zone': optionalText(),
  geoip: optionalText(),
  top: parsed(wholeNumber(1)).default(DEFAULT_TOP),
};
type DetectOptions = OptionValues<typeof OPTIONS>;

const attackOptions = (values: DetectOptions): Partial<AttackSettings> =>
  givenSettings(values, ATTACK_OPTIONS, checkBackscatterOptions);
const scanOptions = (values: DetectOptions): Partial<ScanThresholds> =>
  givenSettings(values, SCAN_OPTIONS, checkScanThresholds);

function scanText(t: ScanThresholds): string {
  return (
    `≥ ${t.minAddresses} addresses or ≥ ${t.minServices} services, narrow ≤ ${t.narrow};` +
    ` tools need ≥ ${t.minToolPackets} matching probes and ≥ ${t.minToolFraction * 100} % of a source's probes`
  );
}

/** `detect --period P`: the store's evidence, derived again; `--rerun` records the settings. */
async function detectPeriod(values: DetectOptions & { period: string }): Promise<number> {
  const { top, rerun } = values;
  const given = attackOptions(values);
  const scan = scanOptions(values);
  return withPeriod(values, async (store, { period, sensors }) => {
    try {
      const { current } = await detectionScopes(store, period, sensors === undefined ? {} : { sensors });
      const settings = rerun
        ? await recordAttackSettings(store, given)
        : checkBackscatterOptions({ ...(await readAttackSettings(store)), ...given });
      const thresholds = rerun
        ? await recordScanSettings(store, scan)
        : checkScanThresholds({ ...(await readScanSettings(store)), ...scan });
      const result = await telescopeAttacks(store, current, settings);
      const found = await telescopeScanners(store, current, thresholds);
      const scanners = { thresholds, windows: found.length, sources: new Set(found.map((f) => f.sourceAddress)).size };
      const names = new Map(current.filter.sensors.map((s) => [s.id, s.name]));
      const out = { period: current.ref, recorded: rerun, ...result, scanners };
      if (values.json) {
        await writeOut(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        const head =
          `DoS attacks of ${period.label} over ${count(current.filter.sensors.length, 'sensor')}: ${count(result.attacks.length, 'attack')} of` +
          ` ${num(result.flows)} flows (${settingsText(settings, result.monitoredAddresses)})` +
          `${rerun ? "; recorded as the store's settings" : ''}`;
        const name = (id: number): string => names.get(id) ?? `#${id}`;
        const lines = [head, ...attackLines(result.attacks, top, name)];
        lines.push(
          `Scanners of ${period.label}: ${count(scanners.windows, 'scanner window')} from ${count(scanners.sources, 'source')} (${scanText(thresholds)})`,
        );
        if (result.openAttacks.length > 0) {
          const lagging = result.deliveredUntil.map(
            (d) => `${name(d.sensorId)} ${d.sec === null ? 'nothing yet' : isoSeconds(d.sec)}`,
          );
          lines.push(
            `${count(result.openAttacks.length, 'more attack')} still open, published once every sensor has delivered past them or` +
              ` ${result.horizonSec / 3600} h have passed (delivered until: ${lagging.join(', ')}):`,
            ...attackLines(result.openAttacks, top, name),
          );
        }
        await writeOut(`${lines.join('\n')}\n`);
      }
    } catch (error: unknown) {
      if (error instanceof OutputClosed) return 0;
      throw error;
    }
    return 0;
  });
}

export const runDetect = command(OPTIONS, async (values, positionals) => {
  const { top, period } = values;
  if (period !== undefined) {
    if (positionals.length > 0) throw new UsageError('give captures or --period, not both');
    return detectPeriod({ ...values, period });
  }
  if (values.rerun) throw new UsageError('--rerun needs --period P (and the store: --db FILE or --store URL)');
  if (values.telescope !== undefined)
    throw new UsageError('--telescope needs --period P (and the store: --db FILE or --store URL)');
  if (positionals.length === 0)
    throw new UsageError('expected at least one capture file, or --period P to derive from the store');
  const sensor = sensorOf(values);
  const timeZone = values['time-zone'] ?? 'UTC';
  const geo = await openGeoResolver({
    asn: false,
    ...(values.geoip === undefined ? {} : { geoip: values.geoip }),
  });
  const attack = attackOptions(values);
  const scan = scanOptions(values);
  const windowSec = values.window;
  let backscatter: BackscatterDetector;
  let scanners: ScannerDetector;
  let reflection: ReflectionDetector;
  try {
    backscatter = new BackscatterDetector({
      monitoredAddresses: sensor.monitored,
      timeZone,
      ...(sensor.contains === undefined ? {} : { isSensorAddress: sensor.contains }),
      ...(geo.country === null ? {} : { countryOf: ipv4CountryOf(geo) }),
      ...attack,
    });
    scanners = new ScannerDetector({ ...scan, ...(windowSec === undefined ? {} : { windowSec }) });
    reflection = new ReflectionDetector({ timeZone });
  } catch (error: unknown) {
    throw error instanceof RangeError ? new UsageError(error.message) : error;
  }
  let failed = false;
  for (const file of positionals) {
    try {
      await runPipeline(file, { geo, sinks: [backscatter, scanners, reflection] });
    } catch (error: unknown) {
      failed = true;
      process.stderr.write(`${formatCliError(error)}\n`);
    }
  }
  const result = {
    files: positionals,
    backscatter: backscatter.finish(),
    scanners: scanners.finish(),
    reflection: reflection.finish(),
  };
  try {
    if (values.json) {
      await writeOut(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      await writeOut(
        `${[
          ...backscatterText(result.backscatter, top),
          '',
          ...scannerText(result.scanners, top),
          '',
          ...reflectionText(result.reflection),
        ].join('\n')}\n`,
      );
    }
  } catch (error: unknown) {
    if (!(error instanceof OutputClosed)) throw error;
  }
  return failed ? 1 : 0;
});
