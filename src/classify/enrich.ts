/**
 * @module
 * `EnrichedBatch`: the one definition of an enriched batch that every later
 * stage (detect, store) reads. It is the decoded `PacketBatch` plus one typed
 * column per enrichment, index `i` being the same packet everywhere; only
 * `[0, batch.length)` is valid.
 *
 * Columns are allocated at the batch's capacity, so one `EnrichedBatch` can be
 * refilled (`enrichInto`) each time the decoder refills its `PacketBatch`,
 * without allocating per batch.
 */

import { newColumn, type ColumnSupplier, type PacketBatch } from '../decode/index.js';
import { fillFlagClasses } from './flag-class.js';
import { fillGeo, type GeoResolver } from './geoip.js';
import { fillPacketClasses } from './packet-class.js';
import { fillServiceKeys } from './service-key.js';

export interface EnrichedBatch {
  readonly batch: PacketBatch;
  /** Destination service key (`service-key.ts`): `445/TCP`, `8/ICMP`, `frag/UDP`, `GRE`; 0 = none. */
  readonly service: Uint32Array;
  /** Source service key: source port for TCP/UDP (`53/UDP`), else as `service`. */
  readonly srcService: Uint32Array;
  /** `FlagClass` code: SYN, SYN/ACK, RST, RST/ACK, ACK, FIN, OTHER; NONE for non-TCP. */
  readonly flagClass: Uint8Array;
  /** `PacketClass` code: PROBE, RESPONSE, ICMP_ERROR, OTHER; NONE when undecoded. */
  readonly packetClass: Uint8Array;
  /** Source country packed as two ASCII letters (`country-code.ts`); 0 = no lookup, `ZZ` = not in the database. */
  readonly country: Uint16Array;
  /** Source ASN; 0 = unknown or no lookup. */
  readonly asn: Uint32Array;
}

export interface EnrichContext {
  /** GeoIP/ASN databases; `null` leaves country and ASN 0 for every packet. */
  geo: GeoResolver | null;
}

const NO_GEO: GeoResolver = { country: null, asn: null };

/**
 * Empty enrichment columns sized for `batch.capacity`; `column` supplies
 * them instead of new arrays, as for `PacketBatch` (shared memory).
 */
export function createEnrichedBatch(batch: PacketBatch, column: ColumnSupplier = newColumn): EnrichedBatch {
  const n = batch.capacity;
  return {
    batch,
    service: column('service', Uint32Array, n) as Uint32Array,
    srcService: column('srcService', Uint32Array, n) as Uint32Array,
    flagClass: column('flagClass', Uint8Array, n) as Uint8Array,
    packetClass: column('packetClass', Uint8Array, n) as Uint8Array,
    country: column('country', Uint16Array, n) as Uint16Array,
    asn: column('asn', Uint32Array, n) as Uint32Array,
  };
}

/** Recompute every column of `enriched` for the current contents of its batch. */
export function enrichInto(enriched: EnrichedBatch, ctx: EnrichContext): void {
  const { batch } = enriched;
  fillServiceKeys(batch, { dst: enriched.service, src: enriched.srcService });
  fillFlagClasses(batch, enriched.flagClass);
  fillPacketClasses(batch, { flagClass: enriched.flagClass, out: enriched.packetClass });
  fillGeo(batch, { geo: ctx.geo ?? NO_GEO, country: enriched.country, asn: enriched.asn });
}

/** Enrich `batch` into new columns. */
export function enrichBatch(batch: PacketBatch, ctx: EnrichContext): EnrichedBatch {
  const enriched = createEnrichedBatch(batch);
  enrichInto(enriched, ctx);
  return enriched;
}
