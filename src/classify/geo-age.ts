/**
 * @module
 * When a GeoIP database is too old to trust for new traffic. Address blocks
 * change hands and registries correct entries every week; a database more
 * than 90 days old (the bundled one included, once npm updates of it stopped)
 * still works, but its answers drift from the truth, so teiten says so
 * rather than refusing: ingest on stderr, the report in its method section.
 */

import { basename } from 'node:path';
import type { GeoResolver } from './geoip.js';

/** A database older than this many days (from its build date) draws a warning. */
export const GEO_STALE_AFTER_DAYS = 90;
const MS_PER_DAY = 86_400_000;

/** Whole days from `built` to `now` (0 when built later). */
export function geoAgeDays(built: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - built.getTime()) / MS_PER_DAY));
}

/**
 * One line per database of `geo` older than `GEO_STALE_AFTER_DAYS` at `now`,
 * naming it, its build date (UTC) and the option that gives a newer one.
 */
export function staleGeoWarnings(geo: GeoResolver, now: Date): string[] {
  const lines: string[] = [];
  for (const [what, db, option] of [
    ['country', geo.country, '--geoip'],
    ['ASN', geo.asn, '--asn-db'],
  ] as const) {
    if (db === null) continue;
    const { path, buildEpoch } = db.description;
    const age = geoAgeDays(buildEpoch, now);
    if (age <= GEO_STALE_AFTER_DAYS) continue;
    lines.push(
      `warning: the GeoIP ${what} database ${basename(path)} was built ${buildEpoch.toISOString().slice(0, 10)}, ` +
        `${age} days ago (more than ${GEO_STALE_AFTER_DAYS}): ${what === 'country' ? 'countries' : 'ASNs'} of ` +
        `sources may be out of date; give a newer database with ${option} FILE`,
    );
  }
  return lines;
}
