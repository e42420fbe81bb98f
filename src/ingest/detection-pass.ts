/**
 * @module
 * `DetectionPass`: the detect stage inside an ingest. `CapturePass` hands it
 * every batch after the address match, the observed-time check and the
 * duplicate drop, with the same `sensorOf` marks the rollups use, so the
 * detection tables are computed over exactly the counted packets: on top of
 * the access statistics, never subtracted from them.
 *
 * - signatures (`detect-signatures.ts`): alerts per day × rule and exact
 *   detected-source sets per day × category, and the matches of threshold
 *   rules, decided over the telescope when read;
 * - DoS backscatter (`detect-backscatter.ts`): per-day tables, victim sets
 *   and the evidence from which attacks are derived over the whole telescope
 *   when the statistics are read (never per capture);
 * - scanners (`ScannerDetector`): evidence per (window, source) piece, from
 *   which scanners are derived over the whole telescope when read.
 *
 * The detectors read packet class; they get a view of the enriched batch
 * whose class column says NONE for every packet the ingest does not count.
 * At the end `write()` appends every table and the `detection_runs` row that
 * records the rule files, their hashes and the settings.
 *
 * A scan spanning two captures, or several sensors, is stored as several
 * evidence rows of the same window and source; they merge into one scanner.
 */

import { COUNTRY_NONE, ipv4CountryOf, PacketClass, type EnrichedBatch, type GeoResolver } from '../classify/index.js';
import { ScannerDetector, type SignatureAlerts } from '../detect/index.js';
import { threadRules, type ThreadRules } from '../pipeline/index.js';
import type { IngestWriter, Sensor } from '../store/index.js';
import type { TzClock } from '../util/tz.js';
import { runRow } from './detect-rows.js';
import { BackscatterRollup } from './detect-backscatter.js';
import { defaultDetectionSetup, type DetectionSetup } from './detect-setup.js';
import type { CountedPackets } from './detect-counts.js';
import { SignatureRollup } from './detect-signatures.js';

/** Rows handed to the writer per call. */
const ROW_BLOCK = 8192;

export interface DetectionPassContext {
  setup: DetectionSetup;
  sensor: Sensor;
  geo: GeoResolver | null;
  /** Clock in the store's zone. */
  clock: TzClock;
}

/** What detection found in one capture. */
export interface DetectionSummary {
  alerts: number;
  signaturePackets: number;
  backscatterPackets: number;
  /** Backscatter evidence rows stored (attacks are derived from them over the telescope). */
  evidenceRows: number;
  /** Scanner evidence rows stored (scanners are derived from them over the telescope). */
  scannerEvidenceRows: number;
  /** Rows written per detection table. */
  rows: Record<string, number>;
}

interface MaskedView {
  view: EnrichedBatch;
  packetClass: Uint8Array;
}

export class DetectionPass {
  readonly signatures: SignatureRollup | null;
  readonly backscatter: BackscatterRollup;
  readonly scanners: ScannerDetector;
  /** The signature rules a decode thread may match for this pass (`add`'s `matches`). */
  readonly rules: ThreadRules | undefined;
  private readonly ctx: DetectionPassContext;
  private readonly monitored: number;
  private readonly views = new WeakMap<EnrichedBatch, MaskedView>();
  /** Rows written per detection table so far. */
  private readonly rowsWritten: Record<string, number> = {};

  constructor(ctx: DetectionPassContext) {
    this.ctx = ctx;
    this.monitored = ipv4AddressCount(ctx.sensor);
    const sig = ctx.setup.signatures;
    this.signatures = sig === null ? null : new SignatureRollup(sig);
    this.rules = sig === null ? undefined : threadRules(sig.rules, sig.source);
    this.backscatter = new BackscatterRollup({
      countryOf: ctx.geo === null ? () => COUNTRY_NONE : ipv4CountryOf(ctx.geo),
    });
    this.scanners = new ScannerDetector(ctx.setup.scanners);
  }

  /**
   * Runs every detector over the counted packets of `enriched`; `matches`
   * are the batch's signature matches when a decode thread made them with
   * `rules`.
   */
  add(enriched: EnrichedBatch, counted: CountedPackets, matches?: SignatureAlerts): void {
    const masked = this.maskedOf(enriched);
    const { sensorOf, sensorId } = counted;
    const real = enriched.packetClass;
    const cls = masked.packetClass;
    for (let i = 0; i < enriched.batch.length; i++) cls[i] = sensorOf[i] === sensorId ? real[i]! : PacketClass.NONE;
    this.signatures?.add(enriched, counted, matches);
    this.backscatter.add(enriched, counted);
    this.scanners.push(masked.view);
  }

  /** Bytes the detection rollups hold (what `flushRows` lets go of). */
  get bytes(): number {
    return (this.signatures?.bytes ?? 0) + this.backscatter.bytes + this.scanners.bytes;
  }

  /**
   * Appends the per-day rollups and the evidence so far (signature,
   * backscatter and scanner tables) to `writer` and forgets them: called
   * when the ingest's memory budget is reached or a day closes. A row
   * written again later adds packets to a sum, repeats a member of a
   * distinct count or is another piece of a source-window that merges, so
   * no figure changes.
   */
  async flushRows(writer: IngestWriter): Promise<void> {
    const count = (table: string, n: number): void => {
      this.rowsWritten[table] = (this.rowsWritten[table] ?? 0) + n;
    };
    const sig = this.signatures;
    if (sig !== null) {
      for (const block of sig.dayBlocks(ROW_BLOCK)) {
        await writer.appendDetection('signature_day', block);
        count('signature_day', block.rowCount);
      }
      for (const block of sig.sourceBlocks(ROW_BLOCK)) {
        await writer.appendDetection('signature_source_day', block);
        count('signature_source_day', block.rowCount);
      }
      const ipv6Keys = await writer.sourceKeys(sig.evidence.ipv6Texts());
      for (const block of sig.evidenceBlocks(ROW_BLOCK, ipv6Keys)) {
        await writer.appendDetection('signature_evidence', block);
        count('signature_evidence', block.rowCount);
      }
      sig.clearRows();
    }
    for (const block of this.backscatter.dayBlocks(ROW_BLOCK)) {
      await writer.appendDetection('backscatter_day', block);
      count('backscatter_day', block.rowCount);
    }
    for (const block of this.backscatter.victimBlocks(ROW_BLOCK)) {
      await writer.appendDetection('backscatter_victim_day', block);
      count('backscatter_victim_day', block.rowCount);
    }
    for (const block of this.backscatter.evidenceBlocks(ROW_BLOCK)) {
      await writer.appendDetection('backscatter_evidence', block);
      count('backscatter_evidence', block.rowCount);
    }
    this.backscatter.clearRows();
    for (const block of this.scanners.evidenceBlocks(ROW_BLOCK)) {
      await writer.appendDetection('scanner_evidence', block);
      count('scanner_evidence', block.rowCount);
    }
    for (const block of this.scanners.probeBlocks(ROW_BLOCK)) {
      await writer.appendDetection('scanner_probes', block);
      count('scanner_probes', block.rowCount);
    }
    this.scanners.clearEvidence();
  }

  /** Ends the detectors and appends every detection table to `writer`. */
  async write(writer: IngestWriter): Promise<DetectionSummary> {
    await this.flushRows(writer);
    const rows = this.rowsWritten;
    const count = (table: string, n: number): void => {
      rows[table] = (rows[table] ?? 0) + n;
    };
    const sig = this.signatures;
    const summary: DetectionSummary = {
      alerts: sig?.alerts ?? 0,
      signaturePackets: sig?.packets ?? 0,
      backscatterPackets: this.backscatter.packets,
      evidenceRows: rows['backscatter_evidence'] ?? 0,
      scannerEvidenceRows: (rows['scanner_evidence'] ?? 0) + (rows['scanner_probes'] ?? 0),
      rows,
    };
    if (sig !== null) {
      const rules = sig.evidence.ruleRows();
      await writer.appendDetection('signature_rules', rules);
      count('signature_rules', rules.rowCount);
    }
    const scanners = { thresholds: this.scanners.thresholds, windowSec: this.scanners.windowSec };
    await writer.appendDetection(
      'detection_runs',
      runRow(this.ctx.setup, { summary, monitored: this.monitored, scanners }),
    );
    count('detection_runs', 1);
    return summary;
  }

  private maskedOf(enriched: EnrichedBatch): MaskedView {
    let masked = this.views.get(enriched);
    if (masked === undefined) {
      const packetClass = new Uint8Array(enriched.batch.capacity);
      masked = { view: { ...enriched, packetClass }, packetClass };
      this.views.set(enriched, masked);
    }
    return masked;
  }
}

/** IPv4 addresses the sensor monitors: the backscatter extrapolation is over the 2^32 space. */
function ipv4AddressCount(sensor: Sensor): number {
  let n = 0;
  for (const block of sensor.addresses) if (block.family === 4) n += block.addressCount;
  return n;
}

/**
 * The detection pass an ingest runs: with `setup`, with the default setup
 * (bundled rules) when it is undefined, none when it is null.
 */
export async function openDetection(
  setup: DetectionSetup | null | undefined,
  ctx: Omit<DetectionPassContext, 'setup'>,
): Promise<DetectionPass | undefined> {
  if (setup === null) return undefined;
  return new DetectionPass({ ...ctx, setup: setup ?? (await defaultDetectionSetup()) });
}
