/**
 * @module
 * The table of each table-shaped answer, for `?format=csv`: the rows the
 * JSON answer holds, flattened to named columns.
 */

import type {
  BackscatterStatistics,
  DailySeries,
  RankingRow,
  ScannerStatistics,
  SignatureStatistics,
} from '../analyse/index.js';
import type { CsvTable } from './csv.js';
import type { FindingsAnswer } from './figures.js';

type Finding = FindingsAnswer['findings'][number];

/** Ranking rows (a page of `rows`), with the figures as printed. */
export function rankingCsv(rows: RankingRow[]): CsvTable<RankingRow> {
  return {
    columns: [
      { header: 'rank', value: (r) => r.rank },
      { header: 'previous_rank', value: (r) => r.previousRank },
      { header: 'key', value: (r) => r.key },
      { header: 'per_day_per_address', value: (r) => r.current },
      { header: 'previous_per_day_per_address', value: (r) => r.previous },
      { header: 'change', value: (r) => r.changeAbs },
      { header: 'change_pct', value: (r) => r.changePct },
      { header: 'increase_rank', value: (r) => r.increaseRank },
      { header: 'decrease_rank', value: (r) => r.decreaseRank },
      { header: 'share_pct', value: (r) => r.sharePct },
      { header: 'packets', value: (r) => r.packets },
      { header: 'previous_packets', value: (r) => r.previousPackets },
      { header: 'sources_per_day', value: (r) => r.sourcesPerDay },
    ],
    rows,
  };
}

interface DayRow {
  date: string;
  packets: number;
  perDayPerAddress: number | null;
  sources: number | null;
}

/** The total series, one row per date. */
export function dailyCsv(s: DailySeries): CsvTable<DayRow> {
  const total = s.items[0];
  return {
    columns: [
      { header: 'date', value: (r) => r.date },
      { header: 'packets', value: (r) => r.packets },
      { header: 'per_day_per_address', value: (r) => r.perDayPerAddress },
      { header: 'sources', value: (r) => r.sources },
    ],
    rows: s.dates.map((date, i) => ({
      date,
      packets: total?.packets[i] ?? 0,
      perDayPerAddress: total?.perDayPerAddress[i] ?? null,
      sources: total?.sources[i] ?? null,
    })),
  };
}

type Attack = BackscatterStatistics['attacks'][number];

export function attacksCsv(b: BackscatterStatistics): CsvTable<Attack> {
  return {
    columns: [
      { header: 'victim', value: (a) => a.victim },
      { header: 'country', value: (a) => a.country },
      { header: 'protocol', value: (a) => a.protocol },
      { header: 'start', value: (a) => a.start },
      { header: 'end', value: (a) => a.end },
      { header: 'duration_sec', value: (a) => a.durationSec },
      { header: 'packets', value: (a) => a.packets },
      { header: 'sensor_addresses', value: (a) => a.sensorAddresses },
      { header: 'peak_pps', value: (a) => a.peakPps },
    ],
    rows: b.attacks,
  };
}

type Scanner = ScannerStatistics['top'][number];

export function scannersCsv(s: ScannerStatistics): CsvTable<Scanner> {
  return {
    columns: [
      { header: 'source', value: (r) => r.source },
      { header: 'country', value: (r) => r.country },
      { header: 'first_seen', value: (r) => r.firstSeen },
      { header: 'last_seen', value: (r) => r.lastSeen },
      { header: 'packets', value: (r) => r.packets },
      { header: 'addresses', value: (r) => r.addresses },
      { header: 'services', value: (r) => r.services },
      { header: 'scan_type', value: (r) => r.scanType },
      { header: 'tools', value: (r) => r.tools.join(' ') },
    ],
    rows: s.top,
  };
}

export function findingsCsv(f: FindingsAnswer): CsvTable<Finding> {
  return {
    columns: [
      { header: 'id', value: (r) => r.id },
      { header: 'kind', value: (r) => r.kind },
      { header: 'dimension', value: (r) => r.dimension },
      { header: 'key', value: (r) => r.key },
      { header: 'change', value: (r) => r.changeAbs },
      { header: 'change_pct', value: (r) => r.changePct },
      { header: 'significance', value: (r) => r.significance },
      { header: 'text_en', value: (r) => r.text.en },
      { header: 'text_ja', value: (r) => r.text.ja },
    ],
    rows: f.findings,
  };
}

type Signature = SignatureStatistics['signatures'][number];

export function signaturesCsv(s: SignatureStatistics): CsvTable<Signature> {
  return {
    columns: [
      { header: 'gid', value: (r) => r.gid },
      { header: 'sid', value: (r) => r.sid },
      { header: 'msg', value: (r) => r.msg },
      { header: 'category', value: (r) => r.category },
      { header: 'packets', value: (r) => r.packets },
      { header: 'previous_packets', value: (r) => r.previousPackets },
    ],
    rows: s.signatures,
  };
}
