/**
 * @module
 * `BackscatterRollup`: DoS backscatter among the packets an ingest counts
 * (`detect/backscatter-kinds.ts` decides which packets are responses and
 * whom they name). Two exact rollups, `backscatter_day` (packets per day ×
 * victim service × victim country × response kind) and
 * `backscatter_victim_day` (packets per day × victim × victim service), and
 * the evidence rows (`backscatter_evidence`) from which the statistics
 * derive attacks over the whole telescope (`analyse/backscatter-attacks.ts`):
 * no attack is decided inside one capture, so none depends on where a file
 * was cut or which sensor saw which packet.
 *
 * Every attributed response counts in the rollups, attack or not, as the
 * report's backscatter tables show the background as well as the attacks.
 */

import { type EnrichedBatch, NO_PORT, PacketClass, serviceKey } from '../classify/index.js';
import {
  BackscatterEvidence,
  BackscatterKind,
  newBackscatterPacket,
  readBackscatter,
  type SensorEvidenceColumns,
} from '../detect/index.js';
import type { BackscatterDayRow, BackscatterVictimDayRow, RowColumns } from '../store/index.js';
import { KeyCounts, rowBlocks } from '../util/key-counts.js';
import type { CountedPackets } from './detect-counts.js';
import { formatIpv4 } from '../util/ip-address.js';

const HOURS_PER_DAY = 24;
/** Third word of a day key: country << 8 | response kind. */
const COUNTRY_SHIFT = 8;
const KIND_MASK = 0xff;

export interface BackscatterRollupOptions {
  /** Packed country of a victim address (ICMP errors name a victim that is not the packet's source). */
  countryOf: (addr: number) => number;
}

export class BackscatterRollup {
  /** Attributed backscatter packets. */
  packets = 0;
  readonly evidence = new BackscatterEvidence();
  private readonly countryOf: (addr: number) => number;
  private readonly pkt = newBackscatterPacket();
  /** [day, victim service, country << 8 | kind]. */
  private readonly byDay = new KeyCounts(3);
  /** [day, victim, victim service], tagged with the victim's country. */
  private readonly byVictim = new KeyCounts(3);

  constructor(options: BackscatterRollupOptions) {
    this.countryOf = options.countryOf;
  }

  /** Adds the counted responses of `enriched`. */
  add(enriched: EnrichedBatch, counted: CountedPackets): void {
    const { batch, packetClass, country } = enriched;
    const { tsSec } = batch;
    const { sensorOf, sensorId, hours } = counted;
    const { pkt } = this;
    const dayKey = this.byDay.key;
    const victimKey = this.byVictim.key;
    for (let i = 0; i < batch.length; i++) {
      if (sensorOf[i] !== sensorId) continue;
      const cls = packetClass[i];
      if (cls !== PacketClass.RESPONSE && cls !== PacketClass.ICMP_ERROR) continue;
      const kind = readBackscatter(enriched, i, pkt);
      if (kind === BackscatterKind.NONE) continue;
      const day = Math.floor(hours[i]! / HOURS_PER_DAY);
      const victimService = serviceKey(pkt.proto, pkt.port < 0 ? NO_PORT : pkt.port);
      const victimCountry = kind <= BackscatterKind.ECHO_REPLY ? country[i]! : this.countryOf(pkt.victim);
      dayKey[0] = day;
      dayKey[1] = victimService;
      dayKey[2] = (victimCountry << COUNTRY_SHIFT) | kind;
      this.byDay.add(0);
      victimKey[0] = day;
      victimKey[1] = pkt.victim;
      victimKey[2] = victimService;
      this.byVictim.add(victimCountry);
      this.evidence.add(pkt, tsSec[i]!, victimCountry);
      this.packets++;
    }
  }

  evidenceBlocks(blockRows: number): Generator<{ rowCount: number; columns: SensorEvidenceColumns }> {
    return this.evidence.blocks(blockRows);
  }

  /** Bytes the rollups and the evidence hold (memory budget hook). */
  get bytes(): number {
    return this.byDay.bytes + this.byVictim.bytes + this.evidence.bytes;
  }

  /** Forgets the rows once `dayBlocks`, `victimBlocks` and `evidenceBlocks` handed them to the writer. */
  clearRows(): void {
    this.byDay.clear();
    this.byVictim.clear();
    this.evidence.clear();
  }

  *dayBlocks(blockRows: number): Generator<RowColumns<BackscatterDayRow>> {
    const t = this.byDay;
    yield* rowBlocks(t.size, blockRows, (first, count) => {
      const c = {
        localDay: new Int32Array(count),
        victimService: new Uint32Array(count),
        country: new Uint16Array(count),
        response: new Uint8Array(count),
        packets: new Float64Array(count),
      };
      for (let j = 0; j < count; j++) {
        const e = first + j;
        const packed = t.word(e, 2);
        c.localDay[j] = t.word(e, 0) | 0;
        c.victimService[j] = t.word(e, 1);
        c.country[j] = packed >>> COUNTRY_SHIFT;
        c.response[j] = packed & KIND_MASK;
        c.packets[j] = t.count(e);
      }
      return c;
    });
  }

  *victimBlocks(blockRows: number): Generator<RowColumns<BackscatterVictimDayRow>> {
    const t = this.byVictim;
    yield* rowBlocks(t.size, blockRows, (first, count) => {
      const c = {
        localDay: new Int32Array(count),
        victim: new Array<string>(count),
        victimService: new Uint32Array(count),
        country: new Uint16Array(count),
        packets: new Float64Array(count),
      };
      for (let j = 0; j < count; j++) {
        const e = first + j;
        c.localDay[j] = t.word(e, 0) | 0;
        c.victim[j] = formatIpv4(t.word(e, 1));
        c.victimService[j] = t.word(e, 2);
        c.country[j] = t.tag(e);
        c.packets[j] = t.count(e);
      }
      return c;
    });
  }
}
