/**
 * @module
 * `teiten ingest [--db FILE | --store URL] --sensor NAME [--geoip FILE]
 * [--asn-db FILE] [--allow-overlap] [--rules FILE]... [--categories FILE]...
 * [--no-bundled] [--no-signatures] [--keep-truncated] [--wait S] [--json]
 * CAPTURE...`: each capture into
 * the store in turn. A file that fails (damaged, duplicate, overlapping an
 * ingest without raw packets) is rolled back and reported; the files before
 * and after it are still ingested, and the exit code says that one failed.
 * Detection (signatures, DoS backscatter, scanners) runs in the same pass
 * over the counted packets; its options are read by `detection-options.ts`.
 */
import { type GeoResolver, openGeoResolver, staleGeoWarnings } from '../classify/index.js';
import {
  DEFAULT_MEMORY_BUDGET,
  ingestCapture,
  isoSeconds,
  storeMemoryShare,
  type DetectionSetup,
  type DetectionSummary,
  type IngestResult,
} from '../ingest/index.js';
import type { AnalyticsStore } from '../store/index.js';
import { parseByteSize } from './byte-size.js';
import { describeSetup, DETECTION_SHAPE, detectionSetupOf } from './detection-options.js';
import { errorCode, formatCliError, UsageError } from './errors.js';
import { command, flag, parsed, requiredText, optionalText } from './options.js';
import { writeOut } from './output.js';
import { progressBar, type ProgressBar } from './progress.js';
import { STORE_SHAPE, withStore } from './store-target.js';
import { assertTimeZone } from '../util/tz.js';

const OPTIONS = {
  ...STORE_SHAPE,
  sensor: requiredText('NAME is required (see teiten sensors list)'),
  geoip: optionalText(),
  'asn-db': optionalText(),
  'allow-empty': flag(),
  'allow-overlap': flag(),
  'keep-truncated': flag(),
  ...DETECTION_SHAPE,
  json: flag(),
  'memory-budget': parsed(parseByteSize).optional(),
};

interface FileReport {
  file: string;
  ok: boolean;
  ingestId: number | null;
  packetsRead: number;
  packetsCounted: number;
  packetsExcluded: number;
  /** Of the excluded: to other addresses or not IP / to the sensor outside its observed time. */
  excludedOther: number;
  excludedNotObserving: number;
  packetsMalformed: number;
  duplicates: number;
  duplicatesInCapture: number;
  duplicatesOfStored: number;
  overlapUnchecked: number;
  /** Whole seconds of the first and last counted packet, ISO 8601 UTC. */
  firstTime: string | null;
  lastTime: string | null;
  sha256: string | null;
  /** Byte offset where a capture kept with --keep-truncated ends inside a record; null when it was complete. */
  truncatedAt: number | null;
  seconds: number;
  /** What detection found (null when the file failed). */
  detection: DetectionSummary | null;
  error: { code: string | null; message: string } | null;
}

function reportOf(file: string, r: IngestResult): FileReport {
  const rec = r.record;
  const any = rec.packetsCounted > 0;
  return {
    file,
    ok: true,
    ingestId: rec.id,
    packetsRead: rec.packetsRead,
    packetsCounted: rec.packetsCounted,
    packetsExcluded: rec.packetsExcluded,
    excludedOther: r.excludedOther,
    excludedNotObserving: r.excludedNotObserving,
    packetsMalformed: rec.packetsMalformed,
    duplicates: rec.duplicates,
    duplicatesInCapture: r.duplicatesInCapture,
    duplicatesOfStored: r.duplicatesOfStored,
    overlapUnchecked: r.overlapUnchecked,
    firstTime: any ? isoSeconds(rec.firstSec) : null,
    lastTime: any ? isoSeconds(rec.lastSec) : null,
    sha256: rec.sha256,
    truncatedAt: rec.truncatedAt > 0 ? rec.truncatedAt : null,
    seconds: Number(r.elapsedSec.toFixed(3)),
    detection: r.detection,
    error: null,
  };
}

function failedReport(file: string, error: unknown): FileReport {
  const code = errorCode(error);
  return {
    file,
    ok: false,
    ingestId: null,
    packetsRead: 0,
    packetsCounted: 0,
    packetsExcluded: 0,
    excludedOther: 0,
    excludedNotObserving: 0,
    packetsMalformed: 0,
    duplicates: 0,
    duplicatesInCapture: 0,
    duplicatesOfStored: 0,
    overlapUnchecked: 0,
    firstTime: null,
    lastTime: null,
    sha256: null,
    truncatedAt: null,
    seconds: 0,
    detection: null,
    error: { code, message: error instanceof Error ? error.message : String(error) },
  };
}

function text(r: FileReport): string {
  const n = (value: number): string => value.toLocaleString('en');
  const range = r.firstTime === null ? 'no packets counted' : `${r.firstTime} .. ${r.lastTime}`;
  const lines = [
    `${r.file}: ingest ${r.ingestId} in ${r.seconds.toFixed(2)} s`,
    `  read ${n(r.packetsRead)}, counted ${n(r.packetsCounted)}, excluded ${n(r.packetsExcluded)} ` +
      `(${n(r.excludedOther)} other address or not IP, ${n(r.excludedNotObserving)} outside operating time), ` +
      `malformed ${n(r.packetsMalformed)}, duplicates ${n(r.duplicates)} ` +
      `(${n(r.duplicatesInCapture)} within the file, ${n(r.duplicatesOfStored)} already stored)`,
    `  time range ${range}`,
  ];
  const d = r.detection;
  if (d !== null) {
    lines.push(
      `  detected ${n(d.alerts)} signature alerts on ${n(d.signaturePackets)} packets, ${n(d.backscatterPackets)} backscatter packets, ` +
        `${n(d.evidenceRows)} backscatter and ${n(d.scannerEvidenceRows)} scanner evidence rows`,
    );
  }
  if (r.truncatedAt !== null) {
    lines.push(
      `  truncated: the capture ends inside a record at byte ${n(r.truncatedAt)}; its ${n(r.packetsRead)} complete records were read`,
    );
  }
  if (r.overlapUnchecked > 0)
    lines.push(`  ${n(r.overlapUnchecked)} packets overlap an ingest without raw packets and were counted unchecked`);
  return lines.join('\n');
}

async function loadGeo(files: { geoip: string | undefined; asnDb: string | undefined }): Promise<GeoResolver> {
  return openGeoResolver({
    ...(files.geoip === undefined ? {} : { geoip: files.geoip }),
    ...(files.asnDb === undefined ? {} : { asnDb: files.asnDb }),
  });
}

async function ingestFiles(
  store: AnalyticsStore,
  files: string[],
  options: {
    sensor: string;
    geo: GeoResolver;
    allowOverlap: boolean;
    allowEmpty: boolean;
    keepTruncated: boolean;
    json: boolean;
    bar: ProgressBar | undefined;
    detection: DetectionSetup;
    memoryBudget: number | undefined;
  },
): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  const { bar } = options;
  for (const file of files) {
    let report: FileReport;
    try {
      const result = await ingestCapture(store, options.sensor, file, {
        geo: options.geo,
        allowOverlap: options.allowOverlap,
        refuseForeign: !options.allowEmpty,
        keepTruncated: options.keepTruncated,
        detection: options.detection,
        ...(options.memoryBudget === undefined ? {} : { memoryBudget: options.memoryBudget }),
        ...(bar === undefined ? {} : { onProgress: (p) => bar.update({ label: file, ...p }) }),
      });
      report = reportOf(file, result);
    } catch (error) {
      report = failedReport(file, error);
      bar?.clear();
      if (!options.json) process.stderr.write(`${formatCliError(error)}\n`);
    }
    bar?.clear();
    reports.push(report);
    if (!options.json && report.ok) await writeOut(`${text(report)}\n`);
  }
  return reports;
}

export const runIngest = command(OPTIONS, async (values, positionals) => {
  if (positionals.length === 0) throw new UsageError('expected at least one capture file (or - for stdin)');
  const { sensor, json } = values;
  const memoryBudget = values['memory-budget'];
  const prepare = async (): Promise<[GeoResolver, DetectionSetup]> => {
    // A process's first date formatter loads ICU's data (~20 ms, whatever the
    // zone): here, while the store opens, not in the ingest's local-time clock after it.
    assertTimeZone('UTC');
    return Promise.all([
      loadGeo({ geoip: values.geoip, asnDb: values['asn-db'] }),
      detectionSetupOf(values, { quiet: json }),
    ]);
  };
  const memoryLimitBytes = storeMemoryShare(memoryBudget ?? DEFAULT_MEMORY_BUDGET);
  const ingest = async (
    store: AnalyticsStore,
    [geo, detection]: [GeoResolver, DetectionSetup],
  ): Promise<FileReport[]> => {
    // An unknown sensor is a usage problem for every file: say so once.
    if ((await store.findSensor(sensor)) === undefined)
      throw new UsageError(`no sensor named '${sensor}' (add it with teiten sensors add)`);
    if (!json) await writeOut(`${describeSetup(detection)}\n`);
    const done = await ingestFiles(store, positionals, {
      sensor,
      geo,
      allowOverlap: values['allow-overlap'],
      allowEmpty: values['allow-empty'],
      keepTruncated: values['keep-truncated'],
      json,
      bar: progressBar(!json),
      detection,
      memoryBudget,
    });
    // Last, so it is not lost among the per-file lines and progress.
    for (const line of staleGeoWarnings(geo, new Date())) process.stderr.write(`teiten: ${line}\n`);
    return done;
  };
  const reports = await withStore(values, ingest, { prepare, memoryLimitBytes });
  if (json) await writeOut(`${JSON.stringify(reports, null, 2)}\n`);
  return reports.every((r) => r.ok) ? 0 : 1;
});
