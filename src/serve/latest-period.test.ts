import { describe, expect, it } from 'vitest';
import { parseLocalDate } from '../util/tz.js';
import { openStore } from '../store/index.js';
import { fiscalQuarterOf, latestPeriodOf } from './latest-period.js';

describe('latest-period', () => {
  it('fiscalQuarterOf() puts April–June in Q1 and January–March in Q4 of the previous fiscal year', () => {
    expect(fiscalQuarterOf(parseLocalDate('2010-04-01'))).toBe('FY2010Q1');
    expect(fiscalQuarterOf(parseLocalDate('2010-06-30'))).toBe('FY2010Q1');
    expect(fiscalQuarterOf(parseLocalDate('2010-07-01'))).toBe('FY2010Q2');
    expect(fiscalQuarterOf(parseLocalDate('2010-12-31'))).toBe('FY2010Q3');
    expect(fiscalQuarterOf(parseLocalDate('2011-01-01'))).toBe('FY2010Q4');
    expect(fiscalQuarterOf(parseLocalDate('2011-03-31'))).toBe('FY2010Q4');
  });

  it('latestPeriodOf() falls back to the fiscal quarter of now in the store zone when nothing is ingested', async () => {
    const store = await openStore(':memory:', { timeZone: 'Asia/Tokyo' });
    try {
      // 2010-03-31T15:00Z is 1 April 00:00 in Tokyo.
      const latest = latestPeriodOf(store, () => Date.parse('2010-03-31T15:00:00Z'));
      expect((await latest()).label).toBe('FY2010Q1');
    } finally {
      await store.close();
    }
  });
});
