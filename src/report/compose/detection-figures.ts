/**
 * @module
 * The headline figures of the detection input for the summary tables:
 * signature alerts per day per address and their sources per day, and
 * backscatter packets and sources per day (the mean over the days given).
 */

import type { BackscatterInput, DetectionInput } from './detection-input.js';
import type { ComparisonRow } from './comparison-table.js';

export const DETECTION_ROWS = {
  signatures: 'signatures',
  signatureSources: 'signatureSources',
  backscatterPackets: 'backscatterPackets',
  backscatterSources: 'backscatterSources',
} as const;

/** Mean per day of the backscatter input's days; null without days. */
export function backscatterPerDay(input: BackscatterInput): { packets: number; sources: number } | null {
  const n = input.daily.length;
  if (n === 0) return null;
  let packets = 0;
  let sources = 0;
  for (const day of input.daily) {
    packets += day.packets;
    sources += day.sources;
  }
  return { packets: packets / n, sources: sources / n };
}

/** Summary rows for whatever detection data there is. */
export function detectionRows(input: DetectionInput, ja: boolean): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const sig = input.signatures;
  if (sig !== null) {
    rows.push({
      key: DETECTION_ROWS.signatures,
      label: ja ? 'シグネチャ検知件数(一日・1IP当たり、件)' : 'Signature detections per day per address',
      current: sig.total.current,
      previous: sig.total.previous,
    });
    if (sig.sourcesPerDay !== null) {
      rows.push({
        key: DETECTION_ROWS.signatureSources,
        label: ja ? '検知の発信元IPアドレス数(一日当たり、個)' : 'Sources of detections per day',
        current: sig.sourcesPerDay.current,
        previous: sig.sourcesPerDay.previous,
      });
    }
  }
  const bs = input.backscatter;
  const perDay = bs === null ? null : backscatterPerDay(bs);
  if (bs !== null && perDay !== null) {
    rows.push(
      {
        key: DETECTION_ROWS.backscatterPackets,
        label: ja ? '跳ね返りパケット数(一日当たり、件)' : 'Backscatter packets per day',
        current: perDay.packets,
        previous: bs.previous?.packetsPerDay ?? null,
      },
      {
        key: DETECTION_ROWS.backscatterSources,
        label: ja ? '跳ね返りの発信元IPアドレス数(一日当たり、個)' : 'Backscatter sources per day',
        current: perDay.sources,
        previous: bs.previous?.sourcesPerDay ?? null,
      },
    );
  }
  return rows;
}
