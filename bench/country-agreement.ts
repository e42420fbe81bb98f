/**
 * @module
 * How often two country sources give an address the same country: the
 * arithmetic behind `npm run bench:geoip-agreement`, and a reader for the
 * `start,end,CC` IPv4 range files Tor ships (Debian `tor-geoipdb`, converted
 * from the IPFire Location database), the one independent source Debian
 * offers in a current form.
 */

/** A country source: a name and an answer per IPv4 address ('' = no answer). */
export interface CountrySource {
  name: string;
  country: (addr: number) => string;
}

export interface PairAgreement {
  a: string;
  b: string;
  /** Addresses both sources answered. */
  both: number;
  /** Of those, addresses with the same country. */
  same: number;
  /** Addresses exactly one source answered. */
  oneSided: number;
}

/** Every pair of `sources` (in the given order) over `addresses`. */
export function pairAgreements(sources: readonly CountrySource[], addresses: Iterable<number>): PairAgreement[] {
  const list = [...addresses];
  const answers = sources.map((s) => list.map((addr) => s.country(addr)));
  const pairs: PairAgreement[] = [];
  for (let i = 0; i < sources.length; i++) {
    for (let j = i + 1; j < sources.length; j++) {
      const pair: PairAgreement = { a: sources[i]!.name, b: sources[j]!.name, both: 0, same: 0, oneSided: 0 };
      for (let k = 0; k < list.length; k++) {
        const x = answers[i]![k]!;
        const y = answers[j]![k]!;
        if (x !== '' && y !== '') {
          pair.both++;
          if (x === y) pair.same++;
        } else if (x !== '' || y !== '') pair.oneSided++;
      }
      pairs.push(pair);
    }
  }
  return pairs;
}

/**
 * The country of each IPv4 address from a Tor geoip file: comment lines
 * (`#`), then `first,last,CC` with addresses as integers, in ascending
 * order; `??` (no country) reads as no answer. Throws naming the line of a
 * malformed or unordered row.
 */
export function rangeCountryCsv(text: string, name: string): (addr: number) => string {
  const firsts: number[] = [];
  const lasts: number[] = [];
  const codes: string[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\d+),(\d+),([A-Z?]{2})$/.exec(line);
    const first = Number(m?.[1]);
    const last = Number(m?.[2]);
    if (!m || last < first || last > 0xffff_ffff || (lasts.length > 0 && first <= lasts[lasts.length - 1]!)) {
      throw new Error(`Cannot read ${name} line ${n + 1}: expected ascending "first,last,CC", got "${line}"`);
    }
    firsts.push(first);
    lasts.push(last);
    codes.push(m[3] === '??' ? '' : m[3]!);
  }
  return (addr) => {
    let lo = 0;
    let hi = firsts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (firsts[mid]! > addr) hi = mid - 1;
      else if (lasts[mid]! < addr) lo = mid + 1;
      else return codes[mid]!;
    }
    return '';
  };
}
