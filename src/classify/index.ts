/**
 * @module
 * The classify stage: per-packet enrichment columns over a `PacketBatch`
 * (service keys, TCP flag and packet classes, source country and ASN), the
 * GeoIP databases behind them, and the MMDB writer/walker the tests and the
 * simulator use.
 */

export { enrichBatch, enrichInto, createEnrichedBatch, type EnrichedBatch, type EnrichContext } from './enrich.js';
export {
  SERVICE_NONE, NO_PORT, IP_PROTO_NAMES, serviceKey, serviceProto, servicePort, fillServiceKeys,
  formatServiceKey, parseServiceKey, type ServiceKeyColumns,
} from './service-key.js';
export { FlagClass, FLAG_CLASS_NAMES, flagClassOf, fillFlagClasses, type FlagClassCode } from './flag-class.js';
export { PacketClass, PACKET_CLASS_NAMES, icmpClassOf, tcpClassOf, fillPacketClasses, type PacketClassCode } from './packet-class.js';
export { COUNTRY_NONE, COUNTRY_UNKNOWN, packCountry, unpackCountry } from './country-code.js';
export { countryName, countryNameOf, COUNTRY_NAME_LANGUAGES, type CountryNameLanguage } from './country-names.js';
export {
  ASN_UNKNOWN, AsnDb, CountryDb, fillGeo, ipv4CountryOf, type AsnShape, type CountryShape, type GeoColumns,
  type GeoDbDescription, type GeoResolver,
} from './geoip.js';
export {
  ASN_ATTRIBUTION, COUNTRY_ATTRIBUTION, defaultCountryDbPath, defaultDataDir, ensureAsnMmdb, openAsnDb,
  openCountryDb, openGeoResolver, versionDate, type GeoOptions,
} from './geo-sources.js';
export { ASN_DATABASE_TYPE, convertAsnCsv, type AsnConvertOptions, type AsnConvertResult, type AsnCsvSources } from './asn-csv.js';
export { MmdbDatabase, type MmdbInfo } from './mmdb-database.js';
export { MmdbLookup, DEFAULT_CACHE_ENTRIES, type LookupStats, type RecordExtractor } from './mmdb-lookup.js';
export { MmdbWriter, type MmdbWriterOptions, type RecordSize } from './mmdb-writer.js';
export { MmdbTyped, type MmdbValue } from './mmdb-data.js';
export { Ipv4Networks, ipv4NetworksBy, sampleRecords, walkIpv4Networks } from './mmdb-walk.js';
export { MmdbTree } from './mmdb-tree.js';
export { ipv4NetworksByCountry } from './country-networks.js';
export { formatIpv4, formatIpv6, parseCidr, parseIpv4, parseIpv6, type Cidr } from './ip-address.js';
export { GeoDbError, GeoDbErrorCode, type GeoDbErrorCodeValue } from './errors.js';
export { geoTransfer, geoFromTransfer, type GeoTransfer } from './geo-transfer.js';
