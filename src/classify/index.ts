/**
 * @module
 * The classify stage: per-packet enrichment columns over a `PacketBatch`
 * (service keys, TCP flag and packet classes, source country and ASN), the
 * GeoIP databases behind them, the MMDB walker the simulator draws sources
 * with, and the MMDB writer the tests build fixture databases with.
 */

export { enrichInto, createEnrichedBatch, type EnrichedBatch, type EnrichContext } from './enrich.js';
export {
  SERVICE_NONE,
  NO_PORT,
  IP_PROTO_NAMES,
  serviceKey,
  serviceProto,
  servicePort,
  formatServiceKey,
  parseServiceKey,
  type ServiceKeyColumns,
} from './service-key.js';
export { FlagClass, FLAG_CLASS_NAMES, type FlagClassCode } from './flag-class.js';
export { PacketClass, type PacketClassCode } from './packet-class.js';
export { COUNTRY_NONE, COUNTRY_UNKNOWN, packCountry, unpackCountry } from './country-code.js';
export { countryName, countryNameOf, type CountryNameLanguage } from './country-names.js';
export {
  ipv4CountryOf,
  type AsnShape,
  type CountryShape,
  type GeoColumns,
  type GeoDbDescription,
  type GeoResolver,
} from './geoip.js';
export { openCountryDb, openGeoResolver, type GeoOptions } from './geo-sources.js';
export { GEO_STALE_AFTER_DAYS, staleGeoWarnings } from './geo-age.js';
export { type MmdbInfo } from './mmdb-database.js';
export { type LookupStats, type RecordExtractor } from './mmdb-lookup.js';
export { MmdbWriter, type MmdbWriterOptions, type RecordSize } from './mmdb-writer.js';
export { type MmdbValue } from './mmdb-data.js';
export { Ipv4Networks } from './mmdb-walk.js';
export { ipv4NetworksByCountry } from './country-networks.js';
export { type GeoDbErrorCodeValue } from './errors.js';
export { geoTransfer, geoFromTransfer, type GeoTransfer } from './geo-transfer.js';
