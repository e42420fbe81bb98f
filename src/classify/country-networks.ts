/**
 * @module
 * IPv4 address space per country, read from the country database's search
 * tree. The simulator draws source addresses from these networks, so that
 * enrichment resolves a simulated packet back to the country it was made for.
 */

import { COUNTRY_UNKNOWN, unpackCountry } from './country-code.js';
import type { CountryDb } from './geoip.js';
import { ipv4NetworksBy, type Ipv4Networks } from './mmdb-walk.js';

/**
 * Every IPv4 network of every country, keyed by two-letter code. Networks whose
 * record has no country are left out. Walks the whole IPv4 tree (about a
 * second for the bundled database): call once and keep the result.
 */
export function ipv4NetworksByCountry(db: CountryDb): Map<string, Ipv4Networks> {
  const byPacked = ipv4NetworksBy(db.lookup.db, (record) => db.lookup.extractRecord(record));
  const out = new Map<string, Ipv4Networks>();
  for (const [packed, networks] of byPacked) {
    if (packed !== COUNTRY_UNKNOWN) out.set(unpackCountry(packed), networks);
  }
  return out;
}
