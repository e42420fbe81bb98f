/**
 * @module
 * Test helper: `source_day` rows read back with their source keys turned
 * into address text, so cases compare with the text rows they wrote.
 */

import { requireSourceKeyTexts } from '../ipv6-sources.js';
import type { AnalyticsStore } from '../store.js';

export async function withSourceTexts<T extends { src: unknown }>(store: AnalyticsStore, rows: readonly T[]): Promise<(Omit<T, 'src'> & { src: string })[]> {
  const texts = await requireSourceKeyTexts(rows.map((row) => Number(row.src)), (q) => store.query(q));
  return rows.map((row) => ({ ...row, src: texts.get(Number(row.src))! }));
}
