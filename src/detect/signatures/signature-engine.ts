/**
 * @module
 * `SignatureEngine`: compiled rules matched over decoded `PacketBatch`es.
 *
 * Per packet: pick the protocol bucket; gather candidate rules: those
 * without content from the destination-port, source-port and generic
 * groups (for the packet's TCP flags or ICMP type), and those whose fast
 * pattern the bucket's one Aho–Corasick pass finds in the payload (see
 * rule-groups.ts); check each candidate in rule order (header, field
 * tests, payload keywords, then its threshold). Every matching rule alerts,
 * subject to its own threshold, as in Snort and Suricata (without their
 * per-packet alert queue limit).
 *
 * Only packets decoded without fault (`DecodeStatus.OK`) are matched. A
 * later IP fragment has no transport header: only `ip` rules without ports
 * apply to it. Threshold state carries over between `match` calls, in packet
 * time; call `resetState()` between unrelated captures. With
 * `deferThresholds` every match of a threshold rule is reported undecided.
 */
import { DecodeStatus, PacketFlag, type PacketBatch } from '../../decode/index.js';
import type { SignatureAlerts } from './alerts.js';
import { CategoryMap, type CategoryDecision, type SignatureCategory } from './categories.js';
import { headerMatches, testsPass } from './packet-match.js';
import { PayloadMatcher } from './payload-match.js';
import {
  BUCKET_OF_PROTOCOL,
  Bucket,
  buildBuckets,
  packetKey,
  type PatternIndex,
  type ProtocolBucket,
} from './rule-groups.js';
import type { SignatureRule } from './rule-types.js';
import { ThresholdTable } from './thresholds.js';

export interface SignatureEngineOptions {
  /** Category mapping; default: every rule in `Others`. */
  categories?: CategoryMap;
  /**
   * Report every match of a rule with a threshold, undecided (default
   * false): the ingest stores them as evidence and the statistics decide the
   * thresholds over the whole telescope (`threshold-chains.ts`).
   */
  deferThresholds?: boolean;
}

const INITIAL_CANDIDATES = 256;
const EPOCH_WRAP = 0xffffffff;

export class SignatureEngine {
  readonly rules: readonly SignatureRule[];
  /** Category of each rule (same index as `rules`) and the mapping entry that decided it. */
  readonly categories: readonly CategoryDecision[];
  private readonly buckets: ProtocolBucket[];
  private readonly thresholds = new ThresholdTable();
  private readonly deferThresholds: boolean;
  private readonly payload = new PayloadMatcher();
  private candidates = new Int32Array(INITIAL_CANDIDATES);
  private candidateCount = 0;
  private epoch = 0;

  constructor(rules: readonly SignatureRule[], options: SignatureEngineOptions = {}) {
    this.rules = rules;
    const categories = options.categories ?? new CategoryMap();
    this.categories = rules.map((rule) => categories.decide(rule));
    this.buckets = buildBuckets(rules);
    this.deferThresholds = options.deferThresholds ?? false;
  }

  /** The category of rule `rule` (an index into `rules`). */
  categoryOf(rule: number): SignatureCategory {
    return this.categories[rule]!.category;
  }

  /** Forgets threshold state. */
  resetState(): void {
    this.thresholds.clear();
  }

  /**
   * Matches every packet of `batch`; clears `alerts` and fills it with one
   * row per (packet, rule) alert. Returns the number of alerts.
   */
  match(batch: PacketBatch, alerts: SignatureAlerts): number {
    alerts.clear();
    if (this.rules.length === 0) return 0;
    const { status, pflags, proto, dport, sport, payloadOff, payloadLen, data, tcpFlags, icmpType } = batch;
    for (let i = 0; i < batch.length; i++) {
      if (status[i] !== DecodeStatus.OK || batch.ipVersion[i] === 0) continue;
      const fragment = (pflags[i]! & PacketFlag.FRAGMENT) !== 0;
      const bucketId = fragment ? Bucket.FRAGMENT : BUCKET_OF_PROTOCOL[proto[i]!]!;
      const bucket = this.buckets[bucketId]!;
      this.nextEpoch();
      this.candidateCount = 0;
      const len = payloadLen[i]!;
      const off = payloadOff[i]!;
      const key = packetKey(bucketId, tcpFlags[i]!, icmpType[i]!);
      const dgroup = bucket.byDport[dport[i]!]!;
      const sgroup = bucket.bySport[sport[i]!]!;
      if (dgroup >= 0) this.addAll(bucket.groups[dgroup]!.always[key]!);
      if (sgroup >= 0) this.addAll(bucket.groups[sgroup]!.always[key]!);
      if (bucket.generic !== null) this.addAll(bucket.generic.always[key]!);
      if (bucket.patterns !== null && len > 0) this.scan(bucket.patterns, data, off, len);
      if (this.candidateCount === 0) continue;
      this.sortCandidates();
      this.payload.setPayload(data, off, len);
      for (let c = 0; c < this.candidateCount; c++) {
        const r = this.candidates[c]!;
        const rule = this.rules[r]!;
        if (!headerMatches(rule, batch, i) || !testsPass(rule.tests, batch, i) || !this.payload.matches(rule.payload))
          continue;
        if (rule.threshold !== null && !this.deferThresholds && !this.thresholds.allow(r, rule.threshold, batch, i))
          continue;
        alerts.push(i, r);
      }
    }
    return alerts.length;
  }

  private addAll(rules: Int32Array): void {
    for (let k = 0; k < rules.length; k++) this.addCandidate(rules[k]!);
  }

  /** AhoCorasick.scan, inline: no call per hit, and a state's outputs are taken once per packet. */
  private scan(index: PatternIndex, data: Uint8Array, off: number, len: number): void {
    const { classOf, classes, delta, outStart, outList, pairStarts } = index.automaton;
    const { stamps, stateStamps, patternRules } = index;
    const epoch = this.epoch;
    const end = off + len;
    let row = 0;
    for (let i = off; i < end; i++) {
      if (row === 0) {
        // At the root, skip bytes where no pattern can begin: one load per byte.
        while (i + 1 < end && pairStarts[(data[i]! << 8) | data[i + 1]!] === 0) i++;
      }
      row = delta[row + classOf[data[i]!]!]!;
      if (row >= 0) continue;
      row = -row - 1;
      const state = row / classes;
      if (stateStamps[state] === epoch) continue;
      stateStamps[state] = epoch;
      const to = outStart[state + 1]!;
      for (let k = outStart[state]!; k < to; k++) {
        const pattern = outList[k]!;
        if (stamps[pattern] === epoch) continue;
        stamps[pattern] = epoch;
        const list = patternRules[pattern]!;
        for (let r = 0; r < list.length; r++) this.addCandidate(list[r]!);
      }
    }
  }

  private addCandidate(rule: number): void {
    if (this.candidateCount === this.candidates.length) {
      const grown = new Int32Array(this.candidates.length * 2);
      grown.set(this.candidates);
      this.candidates = grown;
    }
    this.candidates[this.candidateCount++] = rule;
  }

  /** Insertion sort: candidate lists are short and mostly ordered already. */
  private sortCandidates(): void {
    const a = this.candidates;
    for (let i = 1; i < this.candidateCount; i++) {
      const v = a[i]!;
      let j = i - 1;
      while (j >= 0 && a[j]! > v) {
        a[j + 1] = a[j]!;
        j--;
      }
      a[j + 1] = v;
    }
  }

  private nextEpoch(): void {
    if (this.epoch === EPOCH_WRAP) {
      this.epoch = 0;
      for (const bucket of this.buckets) {
        bucket.patterns?.stamps.fill(0);
        bucket.patterns?.stateStamps.fill(0);
      }
    }
    this.epoch++;
  }
}
