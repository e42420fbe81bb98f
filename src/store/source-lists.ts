/**
 * @module
 * `sourceListRows`: rows of one (day, source, service) each, as callers of
 * `IngestWriter.appendSources` and the schema-1 migration hold them, turned
 * into `source_day`'s stored form: one row per (day, source, country, ASN)
 * with its services sorted and a service's packets summed.
 */

/** A (day, source, service) row; `src` is text or a source key. */
interface ServiceRow<S> {
  localDay: number;
  src: S;
  country: number;
  asn: number;
  service: number;
  packets: number;
}

/** A stored row: the source's services and its packets to each, in step. */
export interface ListRow<S> {
  localDay: number;
  src: S;
  country: number;
  asn: number;
  services: number[];
  packets: number[];
}

/** The rows grouped, in the order each (day, source, country, ASN) first appears. */
export function sourceListRows<S extends string | number>(rows: readonly ServiceRow<S>[]): ListRow<S>[] {
  const groups = new Map<string, Map<number, number>>();
  const firsts: ServiceRow<S>[] = [];
  for (const row of rows) {
    const key = `${row.localDay} ${row.src} ${row.country} ${row.asn}`;
    let services = groups.get(key);
    if (services === undefined) {
      groups.set(key, (services = new Map()));
      firsts.push(row);
    }
    services.set(row.service, (services.get(row.service) ?? 0) + row.packets);
  }
  return firsts.map((first) => {
    const services = groups.get(`${first.localDay} ${first.src} ${first.country} ${first.asn}`)!;
    const sorted = [...services.keys()].sort((a, b) => a - b);
    return {
      localDay: first.localDay,
      src: first.src,
      country: first.country,
      asn: first.asn,
      services: sorted,
      packets: sorted.map((s) => services.get(s)!),
    };
  });
}
