/**
 * @module
 * What enrichment asks of a database: a number per IPv4 or IPv6 address, the
 * IPv4 answers as one flat table, and a name for those answers under which
 * tables made from them are cached. An MMDB (`MmdbLookup`) and the ASN CSV
 * files (`AsnCsvLookup`) both answer so.
 */

import type { Ipv4Ranges } from './ipv4-ranges.js';

export interface AddressLookup {
  /** Answer for the IPv4 address `addr` (uint32). */
  lookup4(addr: number): number;
  /** Answer for the IPv6 address in the 16 bytes at `bytes[offset]`. */
  lookup6(bytes: Uint8Array, offset: number): number;
  /** Every IPv4 answer as ranges (built on the first call). */
  ipv4Ranges(): Ipv4Ranges;
  /** The IPv4 table when already built or given, else undefined. */
  readonly builtIpv4Ranges: Ipv4Ranges | undefined;
  /** Answer IPv4 lookups from `ranges` (made from these answers, e.g. read from a cache). */
  useIpv4Ranges(ranges: Ipv4Ranges): void;
  /** Hex text that changes whenever the answers may: names the cached tables made from them. */
  readonly answersId: string;
}
