/**
 * @module
 * Scanners from scanner evidence (`scanner-evidence.ts`), over a whole
 * telescope: the rows of every sensor, in any order, are grouped by
 * (window, source), merged exactly (probe sums, earliest and latest probe,
 * the earliest probe's country and ASN with ties to the lowest, tool counts,
 * address and service set unions), and each merged source-window is judged
 * by `summarizeSource` with the given thresholds.
 *
 * The merge of any split of a source-window's probes is the state one pass
 * over all of them would hold, so a scan cut by a file boundary is one
 * scanner, a scan spread over three sensors is one scanner with a part per
 * sensor, and arrival order changes nothing. `teiten detect CAPTURE…` and
 * the store's statistics both derive scanners here.
 */

import { DistinctCounter } from './scanners-distinct.js';
import { ServiceTally } from './scanners-service-tally.js';
import {
  summarizeSource,
  takeEarliest,
  type ScannerSensor,
  type ScannerSummary,
  type ScanThresholds,
  type SourceFigures,
} from './scanners-source.js';
import { TOOL_COLUMNS, type ScannerEvidenceColumns, type ScannerEvidenceRows } from './scanner-evidence.js';

export interface DerivedScanners {
  /** Reported source-windows: by window start, then most addresses, most probes, source. */
  sources: ScannerSummary[];
  /** Source-windows the evidence holds (reported or not). */
  sourceWindows: number;
}

/** Row indices in (window start, window end, source) order. */
function sortedRows(c: ScannerEvidenceColumns, n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const { windowStart, windowEnd, src } = c;
  return order.sort((a, b) => windowStart[a]! - windowStart[b]! || windowEnd[a]! - windowEnd[b]! || src[a]! - src[b]!);
}

/** A source-window being merged from its rows. */
class MergedSource implements SourceFigures {
  readonly source: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  country: number;
  asn: number;
  firstSeen: number;
  lastSeen: number;
  packets = 0;
  readonly addresses = new DistinctCounter();
  readonly services = new ServiceTally();
  readonly toolPackets = new Array<number>(TOOL_COLUMNS.length).fill(0);
  readonly sensors: ScannerSensor[] = [];
  private readonly bySensor = new Map<number, { packets: number; addresses: DistinctCounter }>();

  constructor(c: ScannerEvidenceColumns, row: number) {
    this.source = c.src[row]!;
    this.windowStart = c.windowStart[row]!;
    this.windowEnd = c.windowEnd[row]!;
    this.country = c.country[row]!;
    this.asn = c.asn[row]!;
    this.firstSeen = c.firstSec[row]!;
    this.lastSeen = c.lastSec[row]!;
  }

  add(c: ScannerEvidenceColumns, row: number): void {
    const packets = c.packets[row]!;
    this.packets += packets;
    const first = c.firstSec[row]!;
    if (first <= this.firstSeen) takeEarliest(this, first, c.country[row]!, c.asn[row]!);
    if (c.lastSec[row]! > this.lastSeen) this.lastSeen = c.lastSec[row]!;
    const addresses = c.addresses[row]!;
    // A piece of one probe holds its address and service as numbers, not text.
    const single = addresses === '';
    if (single) this.addresses.add(c.dst[row]!);
    else this.addresses.mergeText(addresses);
    if (single) this.services.add(c.service[row]!);
    else this.services.mergeText(c.services[row]!);
    TOOL_COLUMNS.forEach((name, k) => {
      this.toolPackets[k]! += c[name][row]!;
    });
    const id = c.sensorId[row]!;
    let sensor = this.bySensor.get(id);
    if (sensor === undefined) this.bySensor.set(id, (sensor = { packets: 0, addresses: new DistinctCounter() }));
    sensor.packets += packets;
    if (single) sensor.addresses.add(c.dst[row]!);
    else sensor.addresses.mergeText(addresses);
  }

  /** Ends the merge: the per-sensor parts by sensor id. */
  done(): this {
    for (const [sensorId, s] of [...this.bySensor].sort((a, b) => a[0] - b[0])) {
      this.sensors.push({ sensorId, packets: s.packets, addresses: s.addresses.size });
    }
    return this;
  }
}

/** The scanners of `rows` by `thresholds`. */
export function deriveScanners(rows: ScannerEvidenceRows, thresholds: ScanThresholds): DerivedScanners {
  const c = rows.columns;
  const order = sortedRows(c, rows.rowCount);
  const sources: ScannerSummary[] = [];
  let sourceWindows = 0;
  let merged: MergedSource | null = null;
  const close = (m: MergedSource): void => {
    sourceWindows++;
    const summary = summarizeSource(m.done(), thresholds);
    if (summary !== null) sources.push(summary);
  };
  for (let k = 0; k < order.length; k++) {
    const row = order[k]!;
    if (
      merged !== null &&
      (merged.windowStart !== c.windowStart[row] ||
        merged.windowEnd !== c.windowEnd[row] ||
        merged.source !== c.src[row])
    ) {
      close(merged);
      merged = null;
    }
    merged ??= new MergedSource(c, row);
    merged.add(c, row);
  }
  if (merged !== null) close(merged);
  sources.sort(
    (a, b) =>
      a.windowStart - b.windowStart ||
      b.addresses - a.addresses ||
      b.packets - a.packets ||
      a.sourceAddress - b.sourceAddress ||
      a.windowEnd - b.windowEnd,
  );
  return { sources, sourceWindows };
}
