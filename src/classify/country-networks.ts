/**
 * @module
 * IPv4 address space per country, read from the country database's search
 * tree. The simulator draws source addresses from these networks, so that
 * enrichment resolves a simulated packet back to the country it was made for.
 */

import { COUNTRY_UNKNOWN, unpackCountry } from './country-code.js';
import type { CountryDb } from './geoip.js';
import { ipv4NetworksBy, Ipv4Networks } from './mmdb-walk.js';
import { overlapsSpecialUseIpv4 } from './special-use.js';

/**
 * Every IPv4 network of every country, keyed by two-letter code. Networks whose
 * record has no country are left out, and so are networks touching a
 * special-use block, which enrichment never gives a country (`special-use.ts`). Walks the whole IPv4 tree (about a
 * second for the bundled database): call once and keep the result.
 */
export function ipv4NetworksByCountry(db: CountryDb): Map<string, Ipv4Networks> {
  const byPacked = ipv4NetworksBy(db.lookup.db, (record) => db.lookup.extractRecord(record));
  const out = new Map<string, Ipv4Networks>();
  for (const [packed, networks] of byPacked) {
    if (packed === COUNTRY_UNKNOWN) continue;
    const kept = routable(networks);
    if (kept.count > 0) out.set(unpackCountry(packed), kept);
  }
  return out;
}

function routable(networks: Ipv4Networks): Ipv4Networks {
  const keep: number[] = [];
  for (let k = 0; k < networks.starts.length; k++) {
    if (!overlapsSpecialUseIpv4(networks.starts[k]!, networks.prefixLens[k]!)) keep.push(k);
  }
  if (keep.length === networks.starts.length) return networks;
  return new Ipv4Networks(
    Uint32Array.from(keep, (k) => networks.starts[k]!),
    Uint8Array.from(keep, (k) => networks.prefixLens[k]!),
  );
}
