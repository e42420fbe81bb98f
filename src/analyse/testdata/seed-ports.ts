/**
 * @module
 * Table 2-1 of the seed report (@police, FY2010Q1): accesses per day per
 * address of the top ports, this quarter and the previous one. Findings and
 * report tests start from these published figures.
 */

import type { RankItem } from '../ranking.js';

export const SEED_PORTS: readonly RankItem[] = [
  { key: '445/TCP', current: 148.32, previous: 175.05 },
  { key: '11/ICMP', current: 22.73, previous: 0.06 },
  { key: '1433/TCP', current: 21.93, previous: 19.6 },
  { key: '135/TCP', current: 21.59, previous: 31.12 },
  { key: '8/ICMP', current: 18.18, previous: 27.59 },
  { key: '139/TCP', current: 8.46, previous: 15.44 },
  { key: '9415/TCP', current: 5.38, previous: 0.95 },
  { key: '23/TCP', current: 4.9, previous: 1.43 },
];
