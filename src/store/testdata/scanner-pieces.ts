/**
 * @module
 * The scanner evidence the schema 6 → 7 and 7 → 8 migration tests start
 * from: two sensors' captures with one-probe sources, a scanner cut over
 * both files and a small one; the scanner figures to compare before and
 * after; and the rows as schemas 6 and 7 wrote them.
 */

import { TrafficBuilder } from '../../../test/detect/traffic-kit.js';
import { parsePeriod, scannerStatistics } from '../../analyse/index.js';
import { DEFAULT_SCAN_THRESHOLDS, DistinctCounter } from '../../detect/index.js';
import { ingestCapture } from '../../ingest/index.js';
import { tempDir, writeTemp } from '../../ingest/testdata/captures.js';
import { parseIpv4 } from '../../util/ip-address.js';
import { openStore, type AnalyticsStore } from '../index.js';

const T0 = 1_275_350_400;
const NET = parseIpv4('192.0.2.0');

/** Probes to two sensors' files: 40 sources of one probe, a scanner of 30 probes cut over both files, one of 3. */
function captures(): Buffer[] {
  const files = [new TrafficBuilder(), new TrafficBuilder()];
  // File k goes to sensor k, whose addresses are 192.0.2.0/25 (k = 0) and 192.0.2.128/25 (k = 1).
  const syn = (file: number, ts: number, src: number, host: number, port: number): void =>
    files[file]!.add({
      ts,
      src,
      dst: NET + 128 * file + (host % 128),
      id: 1000 + port,
      l4: { kind: 'tcp', srcPort: 40_000, dstPort: port, seq: 7, flags: 2 },
    });
  for (let k = 0; k < 40; k++) syn(k % 2, T0 + k, parseIpv4('203.0.113.0') + k, k, 23);
  for (let k = 0; k < 30; k++) syn(k % 2, T0 + 100 + k, parseIpv4('198.51.100.7'), k, k % 3 === 0 ? 445 : 23);
  for (let k = 0; k < 3; k++) syn(0, T0 + 200 + k, parseIpv4('198.51.100.9'), 50 + k, 1433);
  return files.map((f) => f.toPcap());
}

/** What a store holds once the captures are in, for a migration test to rebuild as schema 6 and compare with. */
export interface ScannerPieces {
  figures: unknown;
  /** The pieces as schema 6 wrote them. */
  schema6: Record<string, unknown>[];
  /** The pieces as schema 7 wrote them: the view's rows, all in `scanner_piece_rows`. */
  schema7: Record<string, unknown>[];
  /** Pieces stored as one probe's numbers (`dst`, `service`) with empty text. */
  singles: number;
  /** Rows of `scanner_probe_rows`, where schema 8 stores the pieces of one probe. */
  probeRows: number;
}

/**
 * Opens the store at `target` (UTC), adds sensors `s0` and `s1`
 * (192.0.2.0/25 and 192.0.2.128/25), ingests each one's capture, and
 * returns what it then holds; the store is closed again.
 */
export async function ingestScannerPieces(target: string): Promise<ScannerPieces> {
  const dir = tempDir('teiten-scanner-pieces-');
  const store = await openStore(target, { timeZone: 'UTC' });
  try {
    for (const [k, capture] of captures().entries()) {
      await store.addSensor({ name: `s${k}`, addresses: [`192.0.2.${128 * k}/25`] });
      await ingestCapture(store, `s${k}`, writeTemp(dir, `s${k}.pcap`, capture), { geo: null });
    }
    const count = async (sql: string): Promise<number> =>
      Number((await store.query<{ n: number }>({ sql, params: [] }))[0]!.n);
    return {
      figures: await figures(store),
      schema6: await schema6Rows(store),
      schema7: await store.query<Record<string, unknown>>({ sql: 'SELECT * FROM scanner_evidence', params: [] }),
      singles: await count("SELECT COUNT(*) AS n FROM scanner_evidence WHERE addresses = '' AND dst <> 0"),
      probeRows: await count('SELECT COUNT(*) AS n FROM scanner_probe_rows'),
    };
  } finally {
    await store.close();
  }
}

/** The day's scanner statistics with every source listed: a one-probe piece's numbers are read as much as text. */
export async function figures(store: AnalyticsStore): Promise<unknown> {
  const stats = await scannerStatistics(store, {
    period: parsePeriod('2010-06-01', { timeZone: 'UTC' }),
    top: 100,
    thresholds: { ...DEFAULT_SCAN_THRESHOLDS, minAddresses: 1, minServices: 1 },
  });
  return JSON.parse(JSON.stringify(stats)) as unknown;
}

/** The store's pieces as schema 6 wrote them: a one-probe piece's address and service as text. */
async function schema6Rows(store: AnalyticsStore): Promise<Record<string, unknown>[]> {
  const rows = await store.query<Record<string, unknown>>({ sql: 'SELECT * FROM scanner_evidence', params: [] });
  return rows.map(({ dst, service, ...row }) => {
    if (row['addresses'] !== '') return row;
    const addresses = new DistinctCounter();
    addresses.add(Number(dst));
    // A service tally's text: `key:probes` pairs (`ServiceTally.toText()`).
    return { ...row, addresses: addresses.toText(), services: `${Number(service)}:1` };
  });
}
