/**
 * @module
 * Rows of the detection tables (`schema.ts`, `DETECTION_TABLES`), as the
 * ingest hands them to `IngestWriter.appendDetection`; the writer adds
 * `ingest_id` and `sensor_id`. Property names are the columns in camelCase.
 */

import type { ListValues } from './list-column.js';

/** One `signature_day` row: a rule's alerts on a local day, by source country and destination service. */
export interface SignatureDayRow {
  localDay: number;
  gid: number;
  sid: number;
  rev: number;
  /** Report category: `Worm`, `Scan`, `Scan(P2P)`, `UDP spam`, `DoS`, `DNS`, `Others`. */
  category: string;
  msg: string;
  country: number;
  service: number;
  packets: number;
}

/** One `signature_source_day` row: a source's packets that raised a rule of `category` that day. */
export interface SignatureSourceDayRow {
  localDay: number;
  category: string;
  /** Canonical address text, as in `source_day`. */
  src: string;
  country: number;
  packets: number;
}

/**
 * One `signature_evidence` row: an ingest's matches of a rule with a
 * threshold in one second with the same source, tracked destination,
 * country and `covered`, kept undecided (`schema.ts`).
 */
export interface SignatureEvidenceRow {
  /** The first match's packet time, microseconds since the epoch. */
  us: number;
  gid: number;
  sid: number;
  /** `THRESHOLD_TRACKS` code. */
  track: number;
  /** `THRESHOLD_TYPES` code. */
  thType: number;
  thCount: number;
  thSeconds: number;
  /** Source key (`source-key.ts`). */
  src: number;
  /** The destination's key when the rule tracks it (`by_dst`, `by_both`), else 0. */
  dst: number;
  /** Source country. */
  country: number;
  /** 1: the packets count in the rule's category through a rule without threshold. */
  covered: number;
  matches: number;
  /** The other matches, in time order, as microseconds from the match before each. */
  later: readonly number[];
  /** Each match's packet number within its ingest (from 1) when they matched two threshold rules of one category, else empty. */
  packets: readonly number[];
}

/** One `signature_rules` row: the category and message of a threshold rule an ingest ran. */
export interface SignatureRuleRow {
  gid: number;
  sid: number;
  category: string;
  msg: string;
}

/** One `backscatter_day` row. */
export interface BackscatterDayRow {
  localDay: number;
  /** `proto × 2^17 + port`; port part 0x10000 when the attack protocol has no ports. */
  victimService: number;
  /** Packed country of the victim. */
  country: number;
  /** `BackscatterKind` code. */
  response: number;
  packets: number;
}

/** One `backscatter_victim_day` row: a victim's backscatter packets that day for one service. */
export interface BackscatterVictimDayRow {
  localDay: number;
  victim: string;
  victimService: number;
  country: number;
  packets: number;
}

/**
 * One `backscatter_evidence` row: a victim's answers that reached one
 * address of the ingest's sensor in one second, by victim port and response
 * kind (`detect/backscatter-evidence.ts`). Attacks are derived from these.
 */
export interface BackscatterEvidenceRow {
  /** Whole seconds since the epoch. */
  sec: number;
  victim: number;
  proto: number;
  /** Victim port; 0x10000 when the attack protocol has no ports. */
  port: number;
  /** `BackscatterKind` code. */
  kind: number;
  /** Sensor address hit. */
  dst: number;
  /** Packed country of the victim. */
  country: number;
  packets: number;
}

/**
 * One `scanner_evidence` row: a piece of a source's probes in one scanner
 * window (`detect/scanner-evidence.ts`). Scanners are derived from these.
 */
export interface ScannerEvidenceRow {
  windowStart: number;
  windowEnd: number;
  /** IPv4 source address. */
  src: number;
  /** Packed country and ASN of the piece's earliest probe. */
  country: number;
  asn: number;
  packets: number;
  firstSec: number;
  lastSec: number;
  /** Probes matching each tool rule. */
  zmapPackets: number;
  masscanPackets: number;
  miraiPackets: number;
  nmapPackets: number;
  /** Distinct destination addresses (`DistinctCounter.toText()`); '' for a piece of one probe. */
  addresses: string;
  /** Services with probes, or their sketch (`ServiceTally.toText()`); '' for a piece of one probe. */
  services: string;
  /** A one-probe piece's destination address and service (0 otherwise). */
  dst: number;
  service: number;
}

/**
 * One `scanner_probes` row: a piece of one probe, which the view
 * `scanner_evidence` shows as a `ScannerEvidenceRow` (schema 8).
 */
export interface ScannerProbeRow {
  windowStart: number;
  windowEnd: number;
  src: number;
  country: number;
  asn: number;
  /** The probe's time, seconds since the epoch (fractions kept). */
  sec: number;
  dst: number;
  service: number;
  /** The tool rules the probe matched: bit k for `TOOL_RULES[k]`. */
  tools: number;
}

/** One `detection_runs` row: how detection ran for the ingest. */
export interface DetectionRunRow {
  /** 1 when the signature engine ran. */
  signatures: number;
  /** JSON `[{ "file": "teiten-darknet.rules", "sha256": "…", "rules": 36 }]`. */
  ruleFiles: string;
  rulesLoaded: number;
  rulesSkipped: number;
  /** SHA-256 over the rule files' hashes in order ('' without signatures). */
  rulesSha256: string;
  /** JSON `[{ "file": "categories.map", "sha256": "…" }]`. */
  categoryFiles: string;
  /** IPv4 addresses the sensor monitors (the extrapolation's divisor). */
  monitoredAddresses: number;
  /** JSON of the backscatter and scanner thresholds used. */
  settings: string;
  alerts: number;
  signaturePackets: number;
  backscatterPackets: number;
  attacks: number;
  scanners: number;
}

/** Each detection table's row type, keyed as `DETECTION_TABLES` (the view name, if the table has one of its own). */
export interface DetectionRows {
  signature_day: SignatureDayRow;
  signature_source_day: SignatureSourceDayRow;
  signature_evidence: SignatureEvidenceRow;
  signature_rules: SignatureRuleRow;
  backscatter_day: BackscatterDayRow;
  backscatter_victim_day: BackscatterVictimDayRow;
  backscatter_evidence: BackscatterEvidenceRow;
  scanner_evidence: ScannerEvidenceRow;
  scanner_probes: ScannerProbeRow;
  detection_runs: DetectionRunRow;
}

export type DetectionTable = keyof DetectionRows;

/** Rows of detection table `T` as columns (`RowColumns`), a list field's items flat (`ListValues`: no array per row). */
export interface DetectionColumns<T extends DetectionTable> {
  readonly rowCount: number;
  readonly columns: {
    readonly [K in keyof DetectionRows[T]]: DetectionRows[T][K] extends readonly number[]
      ? ListValues
      : ArrayLike<DetectionRows[T][K]>;
  };
}
