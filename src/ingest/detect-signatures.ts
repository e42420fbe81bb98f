/**
 * @module
 * `SignatureRollup`: the signature engine over the packets an ingest counts,
 * rolled up into `signature_day` rows (alerts per day × rule × source
 * country × destination service) and exact `signature_source_day` sets
 * (packets per day × category × source). A packet that raises several rules
 * of one category counts once in that category's source set, and once per
 * rule in `signature_day`.
 *
 * Rules with a `threshold` or `detection_filter` (`track by_src, count 20,
 * seconds 60`) are not decided here: each of their matches is stored as
 * `signature_evidence` (`detect-signature-evidence.ts`) and the statistics
 * decide them over every sensor of the telescope and across captures, so no
 * figure depends on where a file was cut. A threshold match records whether
 * its packet already counts in its category through a rule without one.
 *
 * The engine sees only the counted packets: it is handed a view of the batch
 * whose `status` column marks every other packet as not decoded, so
 * threshold rules count exactly the packets the rollups count, never
 * duplicates or other hosts' traffic.
 */

import type { EnrichedBatch } from '../classify/index.js';
import { DecodeStatus, type PacketBatch } from '../decode/index.js';
import { SIGNATURE_CATEGORIES, SignatureAlerts, SignatureEngine, type SignatureCategory } from '../detect/index.js';
import type { DetectionColumns, RowColumns, SignatureDayRow, SignatureSourceDayRow } from '../store/index.js';
import { SourceWords } from './detect-addresses.js';
import { KeyCounts, rowBlocks } from '../util/key-counts.js';
import type { CountedPackets } from './detect-counts.js';
import { ThresholdEvidence } from './detect-signature-evidence.js';
import type { SignatureSetup } from './detect-setup.js';

const HOURS_PER_DAY = 24;
/** Any status but OK: the engine skips the packet. */
const NOT_COUNTED = DecodeStatus.TRUNCATED;
/** Bit 0 of a source key's second word: the address word is an interned IPv6 address. */
const V6_BIT = 1;
const CATEGORY_INDEX: ReadonlyMap<SignatureCategory, number> = new Map(SIGNATURE_CATEGORIES.map((c, k) => [c, k]));

export class SignatureRollup {
  /** Alerts of rules without threshold, and packets that raised at least one. */
  alerts = 0;
  packets = 0;
  /** Matches of threshold rules, kept as evidence and decided when the statistics are read. */
  readonly evidence: ThresholdEvidence;
  /** Packets handed to `add` so far: numbers a packet within the ingest. */
  private packetsSeen = 0;
  /** Packets per category index (`SIGNATURE_CATEGORIES`), each packet once per category. */
  readonly categoryPackets = new Float64Array(SIGNATURE_CATEGORIES.length);
  private readonly setup: SignatureSetup;
  private readonly engine: SignatureEngine;
  private readonly ruleCategory: Uint8Array;
  private readonly alertRows = new SignatureAlerts();
  /** [day, rule, country, service]. */
  private readonly byRule = new KeyCounts(4);
  /** [source word, category << 1 | v6, day], tagged with the source's country. */
  private readonly bySource = new KeyCounts(3);
  private readonly addresses = new SourceWords();
  private readonly views = new WeakMap<PacketBatch, { view: PacketBatch; status: Uint8Array }>();

  constructor(setup: SignatureSetup) {
    this.setup = setup;
    this.engine = new SignatureEngine(setup.rules, { categories: setup.categories, deferThresholds: true });
    this.ruleCategory = Uint8Array.from(setup.rules, (_, r) => CATEGORY_INDEX.get(this.engine.categoryOf(r))!);
    this.evidence = new ThresholdEvidence(setup.rules, (r) => this.engine.categoryOf(r));
  }

  /** Bytes the rollups hold (the engine's own state is not counted: it does not grow with the rows). */
  get bytes(): number {
    return this.byRule.bytes + this.bySource.bytes + this.addresses.bytes + this.evidence.bytes;
  }

  /**
   * Forgets the rows once `dayBlocks`, `sourceBlocks` and `evidenceBlocks`
   * handed them to the writer. Interned IPv6 sources are kept: later rows may
   * name them.
   */
  clearRows(): void {
    this.byRule.clear();
    this.bySource.clear();
    this.evidence.clear();
  }

  /**
   * Adds the alerts of the counted packets of `enriched`: `matches` made by
   * a decode thread over every packet of the batch with these rules
   * (`thread-rules.ts`), else matched here. The matches of threshold rules
   * go to `evidence`, undecided.
   */
  add(enriched: EnrichedBatch, counted: CountedPackets, matches?: SignatureAlerts): void {
    const { batch } = enriched;
    const n = matches === undefined ? this.match(batch, counted) : this.keepCounted(matches, counted);
    const { hours } = counted;
    const { packet, rule } = this.alertRows;
    const { rules } = this.setup;
    // One packet's rows at a time: its rules without threshold first, so a threshold match knows whether they counted it.
    for (let from = 0; from < n;) {
      const i = packet[from]!;
      let to = from + 1;
      while (to < n && packet[to] === i) to++;
      const day = Math.floor(hours[i]! / HOURS_PER_DAY);
      let seen = 0;
      for (let k = from; k < to; k++) {
        const r = rule[k]!;
        if (rules[r]!.threshold === null) seen |= this.addAlert(enriched, i, r, day, seen);
      }
      if (seen !== 0) this.packets++;
      // Categories in which the packet matched two threshold rules: their matches name the packet.
      let once = 0;
      let twice = 0;
      for (let k = from; k < to; k++) {
        const r = rule[k]!;
        if (rules[r]!.threshold === null) continue;
        const bit = 1 << this.ruleCategory[r]!;
        twice |= once & bit;
        once |= bit;
      }
      for (let k = from; k < to; k++) {
        const r = rule[k]!;
        if (rules[r]!.threshold === null) continue;
        const bit = 1 << this.ruleCategory[r]!;
        const packet = (twice & bit) === 0 ? 0 : this.packetsSeen + i + 1;
        this.evidence.add(enriched, i, { rule: r, covered: (seen & bit) !== 0, packet });
      }
      from = to;
    }
    this.packetsSeen += batch.length;
  }

  /** Matches the counted packets of `batch` into `alertRows`; returns the number of alerts. */
  private match(batch: PacketBatch, counted: CountedPackets): number {
    const { sensorOf, sensorId } = counted;
    const view = this.viewOf(batch);
    const status = view.status;
    const real = batch.status;
    for (let i = 0; i < batch.length; i++) status[i] = sensorOf[i] === sensorId ? real[i]! : NOT_COUNTED;
    return this.engine.match(view.view, this.alertRows);
  }

  /** The rows of `matches` whose packet is counted, into `alertRows` (an engine matches every packet alike). */
  private keepCounted(matches: SignatureAlerts, counted: CountedPackets): number {
    const { sensorOf, sensorId } = counted;
    const rows = this.alertRows;
    rows.clear();
    for (let k = 0; k < matches.length; k++) {
      const i = matches.packet[k]!;
      if (sensorOf[i] === sensorId) rows.push(i, matches.rule[k]!);
    }
    return rows.length;
  }

  /** Counts an alert of rule `r` (no threshold) by packet `i`; returns the category bits the packet now counts in. */
  private addAlert(enriched: EnrichedBatch, i: number, r: number, day: number, seen: number): number {
    const { batch, country, service } = enriched;
    const ruleKey = this.byRule.key;
    ruleKey[0] = day;
    ruleKey[1] = r;
    ruleKey[2] = country[i]!;
    ruleKey[3] = service[i]!;
    this.byRule.add(0);
    this.alerts++;
    const category = this.ruleCategory[r]!;
    const bit = 1 << category;
    if ((seen & bit) !== 0) return seen;
    this.categoryPackets[category]!++;
    const sourceKey = this.bySource.key;
    sourceKey[0] = this.addresses.word(batch, i);
    sourceKey[1] = (category << 1) | (batch.ipVersion[i] === 6 ? V6_BIT : 0);
    sourceKey[2] = day;
    this.bySource.add(country[i]!);
    return seen | bit;
  }

  /** `signature_evidence` rows in blocks; `ipv6Keys` are the keys of `evidence.ipv6Texts()`. */
  evidenceBlocks(blockRows: number, ipv6Keys: readonly number[]): Generator<DetectionColumns<'signature_evidence'>> {
    return this.evidence.blocks(blockRows, ipv6Keys);
  }

  /** `signature_day` rows in blocks (fresh arrays per block). */
  *dayBlocks(blockRows: number): Generator<RowColumns<SignatureDayRow>> {
    const { rules } = this.setup;
    const t = this.byRule;
    yield* rowBlocks(t.size, blockRows, (first, count) => {
      const c = {
        localDay: new Int32Array(count),
        gid: new Uint32Array(count),
        sid: new Uint32Array(count),
        rev: new Uint32Array(count),
        category: new Array<string>(count),
        msg: new Array<string>(count),
        country: new Uint16Array(count),
        service: new Uint32Array(count),
        packets: new Float64Array(count),
      };
      for (let j = 0; j < count; j++) {
        const e = first + j;
        const r = t.word(e, 1);
        const rule = rules[r]!;
        c.localDay[j] = t.word(e, 0) | 0;
        c.gid[j] = rule.gid;
        c.sid[j] = rule.sid;
        c.rev[j] = rule.rev;
        c.category[j] = SIGNATURE_CATEGORIES[this.ruleCategory[r]!]!;
        c.msg[j] = rule.msg;
        c.country[j] = t.word(e, 2);
        c.service[j] = t.word(e, 3);
        c.packets[j] = t.count(e);
      }
      return c;
    });
  }

  /** `signature_source_day` rows in blocks. */
  *sourceBlocks(blockRows: number): Generator<RowColumns<SignatureSourceDayRow>> {
    const t = this.bySource;
    yield* rowBlocks(t.size, blockRows, (first, count) => {
      const c = {
        localDay: new Int32Array(count),
        category: new Array<string>(count),
        src: new Array<string>(count),
        country: new Uint16Array(count),
        packets: new Float64Array(count),
      };
      for (let j = 0; j < count; j++) {
        const e = first + j;
        const flags = t.word(e, 1);
        c.localDay[j] = t.word(e, 2) | 0;
        c.category[j] = SIGNATURE_CATEGORIES[flags >>> 1]!;
        c.src[j] = this.addresses.text(t.word(e, 0), (flags & V6_BIT) !== 0);
        c.country[j] = t.tag(e);
        c.packets[j] = t.count(e);
      }
      return c;
    });
  }

  /**
   * A view of `batch` with its own `status` column: every other column is
   * the batch's own (read through the prototype), so a refilled batch needs
   * only the status copied again.
   */
  private viewOf(batch: PacketBatch): { view: PacketBatch; status: Uint8Array } {
    let entry = this.views.get(batch);
    if (entry === undefined) {
      const status = new Uint8Array(batch.capacity);
      const view = Object.create(batch, { status: { value: status, enumerable: true } }) as PacketBatch;
      entry = { view, status };
      this.views.set(batch, entry);
    }
    return entry;
  }
}
