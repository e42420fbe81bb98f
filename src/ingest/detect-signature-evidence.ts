/**
 * @module
 * `ThresholdEvidence`: every match of a rule with a `threshold` or
 * `detection_filter`, kept undecided as one `signature_evidence` row, so the
 * statistics decide the thresholds over all sensors of the telescope and
 * across captures (`analyse/signature-thresholds.ts`): a rule counting 20
 * probes in 60 s alerts the same whether the probes came in one file, in
 * two, or to two sensors.
 *
 * Columns are typed arrays grown by doubling (no object per match); text
 * (addresses, the rule's message) is made once per stored row.
 */

import type { EnrichedBatch } from '../classify/index.js';
import {
  THRESHOLD_TRACKS,
  THRESHOLD_TYPES,
  trackedKey,
  type SignatureCategory,
  type SignatureRule,
} from '../detect/index.js';
import type { RowColumns, SignatureEvidenceRow } from '../store/index.js';
import { rowBlocks } from '../util/key-counts.js';
import { formatIpv4, formatIpv6 } from '../util/ip-address.js';

const INITIAL_ROWS = 1024;
const US_PER_SEC = 1e6;
const NS_PER_US = 1000;
const IPV6_BYTES = 16;

/** The per-match columns, each as long as the others (rows beyond `size` unused). */
function newColumns(rows: number) {
  return {
    us: new Float64Array(rows),
    day: new Int32Array(rows),
    seq: new Float64Array(rows),
    rule: new Uint32Array(rows),
    src4: new Uint32Array(rows),
    dst4: new Uint32Array(rows),
    /** Index into `ThresholdEvidence.v6` for an IPv6 packet, else -1. */
    v6At: new Int32Array(rows),
    country: new Uint16Array(rows),
    service: new Uint32Array(rows),
    covered: new Uint8Array(rows),
  };
}

/** Text bytes a JS string of an IPv6 address costs, about. */
const V6_TEXT_BYTES = 96;

export class ThresholdEvidence {
  /** Rows held now. */
  size = 0;
  private readonly rules: readonly SignatureRule[];
  private readonly categoryOf: (rule: number) => SignatureCategory;
  private c = newColumns(INITIAL_ROWS);
  /** Source and destination text of the IPv6 rows (rare on darknets). */
  private v6: [string, string][] = [];

  constructor(rules: readonly SignatureRule[], categoryOf: (rule: number) => SignatureCategory) {
    this.rules = rules;
    this.categoryOf = categoryOf;
  }

  /** Bytes the rows hold. */
  get bytes(): number {
    let n = this.v6.length * 2 * V6_TEXT_BYTES;
    for (const column of Object.values(this.c)) n += column.byteLength;
    return n;
  }

  /** Forgets the rows (once written) and lets go of their memory. */
  clear(): void {
    this.size = 0;
    this.c = newColumns(INITIAL_ROWS);
    this.v6 = [];
  }

  /**
   * Adds rule `rule`'s match by packet `i` of `enriched`: `seq` numbers the
   * packet within the ingest (matches of one packet are told apart from
   * another's), `covered` says the packet already counts in the rule's
   * category through a rule without threshold.
   */
  add(enriched: EnrichedBatch, i: number, match: { rule: number; day: number; seq: number; covered: boolean }): void {
    const { batch } = enriched;
    const us = batch.tsSec[i]! * US_PER_SEC + Math.floor(batch.tsNsec[i]! / NS_PER_US);
    // A pcapng time past 2^53 µs (the year 2255; seen only in corrupt files) has no exact stored time, and a
    // threshold window cannot be placed without one: such a packet still counts, but decides no threshold rule.
    if (!Number.isSafeInteger(us)) return;
    if (this.size === this.c.us.length) this.grow();
    const c = this.c;
    const k = this.size++;
    c.us[k] = us;
    c.day[k] = match.day;
    c.seq[k] = match.seq;
    c.rule[k] = match.rule;
    c.country[k] = enriched.country[i]!;
    c.service[k] = enriched.service[i]!;
    c.covered[k] = match.covered ? 1 : 0;
    if (batch.ipVersion[i] === 6) {
      c.v6At[k] = this.v6.length;
      this.v6.push([formatIpv6(batch.src6, i * IPV6_BYTES), formatIpv6(batch.dst6, i * IPV6_BYTES)]);
    } else {
      c.v6At[k] = -1;
      c.src4[k] = batch.src4[i]!;
      c.dst4[k] = batch.dst4[i]!;
    }
  }

  /** The rows in store-sized blocks. */
  *blocks(blockRows: number): Generator<RowColumns<SignatureEvidenceRow>> {
    const m = this.c;
    yield* rowBlocks(this.size, blockRows, (first, count) => {
      const c = {
        us: new Float64Array(count),
        localDay: new Int32Array(count),
        seq: new Float64Array(count),
        gid: new Uint32Array(count),
        sid: new Uint32Array(count),
        category: new Array<string>(count),
        msg: new Array<string>(count),
        track: new Uint8Array(count),
        thType: new Uint8Array(count),
        thCount: new Uint32Array(count),
        thSeconds: new Uint32Array(count),
        trackKey: new Array<string>(count),
        src: new Array<string>(count),
        country: new Uint16Array(count),
        service: new Uint32Array(count),
        covered: new Uint8Array(count),
      };
      for (let j = 0; j < count; j++) {
        const e = first + j;
        const r = m.rule[e]!;
        const rule = this.rules[r]!;
        const spec = rule.threshold!;
        const v6 = m.v6At[e]!;
        const [src, dst] = v6 < 0 ? [formatIpv4(m.src4[e]!), formatIpv4(m.dst4[e]!)] : this.v6[v6]!;
        c.us[j] = m.us[e]!;
        c.localDay[j] = m.day[e]!;
        c.seq[j] = m.seq[e]!;
        c.gid[j] = rule.gid;
        c.sid[j] = rule.sid;
        c.category[j] = this.categoryOf(r);
        c.msg[j] = rule.msg;
        c.track[j] = THRESHOLD_TRACKS.indexOf(spec.track);
        c.thType[j] = THRESHOLD_TYPES.indexOf(spec.type);
        c.thCount[j] = spec.count;
        c.thSeconds[j] = spec.seconds;
        c.trackKey[j] = trackedKey(spec.track, src, dst);
        c.src[j] = src;
        c.country[j] = m.country[e]!;
        c.service[j] = m.service[e]!;
        c.covered[j] = m.covered[e]!;
      }
      return c;
    });
  }

  private grow(): void {
    const next = newColumns(this.c.us.length * 2);
    for (const [name, column] of Object.entries(this.c)) next[name as keyof typeof next].set(column as never);
    this.c = next;
  }
}
