/**
 * @module
 * Detection input for FY2010Q1 by hand, for the §3/§4 tests: three
 * signature categories, three countries, a rule message with a planted
 * `<script>`, and backscatter of 100 packets from 5 sources every day
 * (previous quarter 80 and 4: +25.0% each).
 */

import type { DetectionInput } from '../../src/report/compose/index.js';
import { dayFromCivil, formatLocalDate } from '../../src/util/tz.js';

export const HOSTILE_RULE = 'ET TROJAN <script>alert("rule")</script> beacon';

const Q1_START = dayFromCivil(2010, 4, 1);
const Q1_DAYS = 91;
const dates = Array.from({ length: Q1_DAYS }, (_, i) => formatLocalDate(Q1_START + i));

export function detectionsFixture(): DetectionInput {
  return {
    signatures: {
      rulesLoaded: 3035,
      total: { current: 15.2, previous: 20.8 },
      sourcesPerDay: { current: 1304.9, previous: 1834.9 },
      byCategory: [
        { key: 'Scan(P2P)', current: 7.64, previous: 12.34 },
        { key: 'Worm', current: 4.04, previous: 4.91 },
        { key: 'Scan', current: 3.12, previous: 3.28 },
      ],
      byCountry: [
        { key: 'CN', current: 4.22, previous: 5.22 },
        { key: 'US', current: 2.94, previous: 3.36 },
        { key: 'TW', current: 0.88, previous: 0.93 },
      ],
      countryCategory: [
        { country: 'CN', category: 'Worm', value: 2.42 },
        { country: 'CN', category: 'Scan', value: 1.8 },
        { country: 'US', category: 'Scan(P2P)', value: 2.5 },
        { country: 'US', category: 'Worm', value: 0.44 },
        { country: 'TW', category: 'Scan', value: 0.88 },
      ],
      daily: {
        dates,
        categories: [
          { key: 'Scan(P2P)', values: dates.map((_, i) => (i < 30 ? 12 : 5.6)) },
          { key: 'Worm', values: dates.map(() => 4.04) },
          { key: 'Scan', values: dates.map(() => 3.12) },
        ],
      },
      topRules: [
        { sid: 2008581, message: 'ET P2P BitTorrent DHT ping request', category: 'Scan(P2P)', current: 7.64 },
        { sid: 2003, message: 'SQL Slammer worm propagation', category: 'Worm', current: 2.1 },
        { sid: 9000001, message: HOSTILE_RULE, category: 'Scan', current: 0.5 },
      ],
    },
    backscatter: {
      daily: dates.map((date) => ({ date, packets: 100, sources: 5 })),
      previous: { packetsPerDay: 80, sourcesPerDay: 4 },
      bySourcePort: [
        { key: '80/TCP', packets: 6100 },
        { key: '6667/TCP', packets: 3000 },
      ],
      byCountry: [
        { key: 'US', packets: 5000 },
        { key: 'CN', packets: 4100 },
      ],
      victims: [
        {
          address: '198.51.100.66',
          country: 'US',
          sourcePort: '6667/TCP',
          packets: 2730,
          firstDate: '2010-04-01',
          lastDate: '2010-06-30',
        },
        {
          address: '203.0.113.80',
          country: 'CN',
          sourcePort: '80/TCP',
          packets: 910,
          firstDate: '2010-05-13',
          lastDate: '2010-05-13',
        },
      ],
    },
  };
}
