/**
 * @module
 * `ThresholdEvidence`: the matches of rules with a `threshold` or
 * `detection_filter`, kept undecided as `signature_evidence` rows, so the
 * statistics decide the thresholds over all sensors of the telescope and
 * across captures (`analyse/signature-thresholds.ts`): a rule counting 20
 * probes in 60 s alerts the same whether the probes came in one file, in
 * two, or to two sensors.
 *
 * Matches are grouped per (rule, second, source, tracked destination,
 * country, covered, named): a scanner's probes in one second are one row,
 * with each match's microsecond kept in the row (`later`: the gaps) so the read
 * can still order them against another sensor's. A packet that matched two
 * threshold rules of one category is named by its number (the row's
 * `packets` list), so the read counts it once in that category. Matches
 * are staged and grouped by a `PartitionedKeyTable` (on a darknet nearly
 * every match is a group of its own, and one table of them missed the CPU
 * caches on every insert and every doubling: 5 M packets took 8 % longer),
 * and each match costs three typed-array slots (its group, microsecond and
 * packet number): no object or text per match. Rows carry source keys
 * (`source-key.ts`); IPv6 keys come from the store when the rows leave.
 */

import type { EnrichedBatch } from '../classify/index.js';
import { THRESHOLD_TRACKS, THRESHOLD_TYPES, type SignatureCategory, type SignatureRule } from '../detect/index.js';
import type { DetectionColumns, RowColumns, SignatureRuleRow } from '../store/index.js';
import { rowBlocks } from '../util/key-counts.js';
import { SourceWords } from './detect-addresses.js';
import { PartitionedKeyTable } from './partitioned-key-table.js';

const INITIAL_MATCHES = 1024;
const US_PER_SEC = 1e6;
const NS_PER_US = 1000;
const TWO_32 = 2 ** 32;
/** Key words: rule, second (high, low), source word, destination word, flags. */
const RULE = 0;
const SEC_HI = 1;
const SEC_LO = 2;
const SRC = 3;
const DST = 4;
const FLAGS = 5;
const WIDTH = 6;
/** Staged record: the key, then the match's microsecond and its packet number (high, low word). */
const MICRO = 6;
const PACKET_HI = 7;
const PACKET_LO = 8;
const RECORD_WORDS = 9;
/** Flags word: country << 16 | named packets << 3 | covered << 2 | destination is IPv6 << 1 | source is IPv6. */
const SRC_V6 = 1;
const DST_V6 = 2;
const COVERED_SHIFT = 2;
const NAMED = 8;
const COUNTRY_SHIFT = 16;
/** Per group: matches (u32); per match: group (i32), µs in its second (u32) and packet number (f64). */
const GROUP_BYTES = 4;
const MATCH_BYTES = 16;

/** One threshold match as `SignatureRollup` hands it over. */
export interface ThresholdMatch {
  rule: number;
  covered: boolean;
  /** The packet's number within the ingest (from 1) when it matched two threshold rules of one category, else 0. */
  packet: number;
}

export class ThresholdEvidence {
  private readonly rules: readonly SignatureRule[];
  private readonly categoryOf: (rule: number) => SignatureCategory;
  private readonly groups = new PartitionedKeyTable(WIDTH, RECORD_WORDS - WIDTH, (group, isNew, records, at) => {
    if (group >= this.matches.length) this.growGroups();
    if (isNew) this.matches[group] = 0;
    this.matches[group]!++;
    if (this.size === this.matchGroup.length) this.growMatches();
    this.matchGroup[this.size] = group;
    this.matchMicro[this.size] = records[at + MICRO]!;
    this.matchPacket[this.size] = records[at + PACKET_HI]! * TWO_32 + records[at + PACKET_LO]!;
    this.size++;
  });
  private readonly key = new Uint32Array(RECORD_WORDS);
  private readonly addresses = new SourceWords();
  private matches = new Uint32Array(INITIAL_MATCHES);
  private matchGroup = new Int32Array(INITIAL_MATCHES);
  private matchMicro = new Uint32Array(INITIAL_MATCHES);
  private matchPacket = new Float64Array(INITIAL_MATCHES);
  /** Matches held now. */
  private size = 0;

  constructor(rules: readonly SignatureRule[], categoryOf: (rule: number) => SignatureCategory) {
    this.rules = rules;
    this.categoryOf = categoryOf;
  }

  /** Bytes the matches and groups hold. */
  get bytes(): number {
    return (
      this.groups.projectedBytes(GROUP_BYTES + MATCH_BYTES) +
      this.addresses.bytes +
      this.matches.length * GROUP_BYTES +
      this.matchGroup.length * MATCH_BYTES
    );
  }

  /** Forgets the rows (once written) and lets go of their memory. Interned IPv6 addresses are kept: later rows may name them. */
  clear(): void {
    this.size = 0;
    this.groups.clear();
    this.matches = new Uint32Array(INITIAL_MATCHES);
    this.matchGroup = new Int32Array(INITIAL_MATCHES);
    this.matchMicro = new Uint32Array(INITIAL_MATCHES);
    this.matchPacket = new Float64Array(INITIAL_MATCHES);
  }

  /** Adds a threshold match by packet `i` of `enriched`. */
  add(enriched: EnrichedBatch, i: number, match: ThresholdMatch): void {
    const { batch } = enriched;
    const sec = batch.tsSec[i]!;
    const micro = Math.floor(batch.tsNsec[i]! / NS_PER_US);
    // A pcapng time past 2^53 µs (the year 2255; seen only in corrupt files) has no exact stored time, and a
    // threshold window cannot be placed without one: such a packet still counts, but decides no threshold rule.
    if (!Number.isSafeInteger(sec * US_PER_SEC + micro)) return;
    const track = this.rules[match.rule]!.threshold!.track;
    const v6 = batch.ipVersion[i] === 6;
    const key = this.key;
    key[RULE] = match.rule;
    key[SEC_HI] = Math.floor(sec / TWO_32);
    key[SEC_LO] = sec >>> 0;
    key[SRC] = this.addresses.word(batch, i, 'src');
    const tracksDst = track === 'by_dst' || track === 'by_both';
    key[DST] = tracksDst ? this.addresses.word(batch, i, 'dst') : 0;
    key[FLAGS] =
      (enriched.country[i]! << COUNTRY_SHIFT) |
      (match.packet === 0 ? 0 : NAMED) |
      ((match.covered ? 1 : 0) << COVERED_SHIFT) |
      (v6 ? SRC_V6 | (tracksDst ? DST_V6 : 0) : 0);
    key[MICRO] = micro;
    key[PACKET_HI] = Math.floor(match.packet / TWO_32);
    key[PACKET_LO] = match.packet >>> 0;
    this.groups.add(key);
  }

  /** IPv6 addresses the rows name, by word: the caller looks up their keys (`IngestWriter.sourceKeys`). */
  ipv6Texts(): string[] {
    return this.addresses.ipv6Texts();
  }

  /** The rows in store-sized blocks; `ipv6Keys[w]` is the key of IPv6 word `w` (`ipv6Texts`). */
  *blocks(blockRows: number, ipv6Keys: readonly number[]): Generator<DetectionColumns<'signature_evidence'>> {
    const t = this.groups;
    t.flush();
    const groups = t.size;
    const { starts, micros, packets } = this.byGroup();
    const named = (g: number): boolean => (t.word(g, FLAGS) & NAMED) !== 0;
    const keyOf = (word: number, v6: boolean): number => (v6 ? ipv6Keys[word]! : word);
    yield* rowBlocks(groups, blockRows, (first, count) => {
      const c = {
        us: new Float64Array(count),
        gid: new Uint32Array(count),
        sid: new Uint32Array(count),
        track: new Uint8Array(count),
        thType: new Uint8Array(count),
        thCount: new Uint32Array(count),
        thSeconds: new Uint32Array(count),
        src: new Float64Array(count),
        dst: new Float64Array(count),
        country: new Uint16Array(count),
        covered: new Uint8Array(count),
        matches: new Uint32Array(count),
        later: {
          starts: new Float64Array(count + 1),
          values: new Uint32Array(starts[first + count]! - starts[first]! - count),
        },
        packets: { starts: new Float64Array(count + 1), values: new Float64Array(0) },
      };
      let namedMatches = 0;
      for (let g = first; g < first + count; g++) if (named(g)) namedMatches += this.matches[g]!;
      c.packets.values = new Float64Array(namedMatches);
      let item = 0;
      let packetItem = 0;
      for (let j = 0; j < count; j++) {
        const g = first + j;
        const rule = this.rules[t.word(g, RULE)]!;
        const spec = rule.threshold!;
        const flags = t.word(g, FLAGS);
        const at = starts[g]!;
        const micro0 = micros[at]!;
        c.us[j] = (t.word(g, SEC_HI) * TWO_32 + t.word(g, SEC_LO)) * US_PER_SEC + micro0;
        c.gid[j] = rule.gid;
        c.sid[j] = rule.sid;
        c.track[j] = THRESHOLD_TRACKS.indexOf(spec.track);
        c.thType[j] = THRESHOLD_TYPES.indexOf(spec.type);
        c.thCount[j] = spec.count;
        c.thSeconds[j] = spec.seconds;
        c.src[j] = keyOf(t.word(g, SRC), (flags & SRC_V6) !== 0);
        c.dst[j] = keyOf(t.word(g, DST), (flags & DST_V6) !== 0);
        c.country[j] = flags >>> COUNTRY_SHIFT;
        c.covered[j] = (flags >>> COVERED_SHIFT) & 1;
        c.matches[j] = this.matches[g]!;
        c.later.starts[j] = item;
        for (let k = at + 1; k < starts[g + 1]!; k++) c.later.values[item++] = micros[k]! - micros[k - 1]!;
        c.packets.starts[j] = packetItem;
        if (named(g)) for (let k = at; k < starts[g + 1]!; k++) c.packets.values[packetItem++] = packets[k]!;
      }
      c.later.starts[count] = item;
      c.packets.starts[count] = packetItem;
      return c;
    });
  }

  /**
   * Each group's matches together (a counting sort by group), in stream
   * order: by microsecond, then, for named packets, by packet number.
   */
  private byGroup(): { starts: Float64Array; micros: Uint32Array; packets: Float64Array } {
    const groups = this.groups.size;
    const starts = new Float64Array(groups + 1);
    for (let g = 0; g < groups; g++) starts[g + 1] = starts[g]! + this.matches[g]!;
    const fill = starts.slice(0, groups);
    const order = new Int32Array(this.size);
    for (let m = 0; m < this.size; m++) order[fill[this.matchGroup[m]!]!++] = m;
    const { matchMicro: micro, matchPacket: packet } = this;
    const micros = new Uint32Array(this.size);
    const packets = new Float64Array(this.size);
    for (let g = 0; g < groups; g++) {
      const from = starts[g]!;
      const to = starts[g + 1]!;
      const named = (this.groups.word(g, FLAGS) & NAMED) !== 0;
      if (to - from > 1 && named)
        order.subarray(from, to).sort((a, b) => micro[a]! - micro[b]! || packet[a]! - packet[b]!);
      for (let k = from; k < to; k++) {
        micros[k] = micro[order[k]!]!;
        packets[k] = packet[order[k]!]!;
      }
      if (to - from > 1 && !named) micros.subarray(from, to).sort();
    }
    return { starts, micros, packets };
  }

  /** The category and message of every threshold rule, for `signature_rules`. */
  ruleRows(): RowColumns<SignatureRuleRow> {
    const threshold = this.rules.flatMap((rule, r) => (rule.threshold === null ? [] : [{ rule, r }]));
    return {
      rowCount: threshold.length,
      columns: {
        gid: threshold.map((t) => t.rule.gid),
        sid: threshold.map((t) => t.rule.sid),
        category: threshold.map((t) => this.categoryOf(t.r)),
        msg: threshold.map((t) => t.rule.msg),
      },
    };
  }

  private growGroups(): void {
    const matches = new Uint32Array(this.matches.length * 2);
    matches.set(this.matches);
    this.matches = matches;
  }

  private growMatches(): void {
    const n = this.matchGroup.length * 2;
    const group = new Int32Array(n);
    group.set(this.matchGroup);
    const micro = new Uint32Array(n);
    micro.set(this.matchMicro);
    const packet = new Float64Array(n);
    packet.set(this.matchPacket);
    this.matchGroup = group;
    this.matchMicro = micro;
    this.matchPacket = packet;
  }
}
