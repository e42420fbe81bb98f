/**
 * @module
 * Country codes packed into a uint16 column: the two ASCII letters of an
 * ISO 3166-1 alpha-2 code, first letter in the high byte (`JP` = 0x4a50).
 *
 * Two values are reserved:
 * - `COUNTRY_NONE` (0): no lookup was made (non-IP packet, or no GeoIP database).
 * - `COUNTRY_UNKNOWN` (`ZZ`, 0x5a5a): looked up, but the database has no
 *   country for the address (private, reserved, unallocated space). `ZZ` is a
 *   user-assigned ISO code that CLDR also uses for "unknown region".
 */

export const COUNTRY_NONE = 0;
export const COUNTRY_UNKNOWN = 0x5a5a;

const CHAR_A = 0x41;
const CHAR_Z = 0x5a;
const CASE_BIT = 0x20;

function isUpper(c: number): boolean {
  return c >= CHAR_A && c <= CHAR_Z;
}

/**
 * Pack a two-letter code (any case). Returns `COUNTRY_UNKNOWN` for anything
 * that is not two ASCII letters, so a database's odd value never breaks a batch.
 */
export function packCountry(code: string): number {
  if (code.length !== 2) return COUNTRY_UNKNOWN;
  let hi = code.charCodeAt(0);
  let lo = code.charCodeAt(1);
  if (!isUpper(hi)) hi &= ~CASE_BIT;
  if (!isUpper(lo)) lo &= ~CASE_BIT;
  if (!isUpper(hi) || !isUpper(lo)) return COUNTRY_UNKNOWN;
  return (hi << 8) | lo;
}

/** Two-letter code of a packed value; `''` for `COUNTRY_NONE`. Throws on a value no code packs to. */
export function unpackCountry(packed: number): string {
  if (packed === COUNTRY_NONE) return '';
  const hi = packed >>> 8;
  const lo = packed & 0xff;
  if (packed > 0xffff || !isUpper(hi) || !isUpper(lo)) {
    throw new RangeError(`Cannot unpack country code 0x${packed.toString(16)}: not two letters A-Z`);
  }
  return String.fromCharCode(hi, lo);
}
