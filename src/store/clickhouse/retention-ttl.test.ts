import { describe, expect, it } from 'vitest';
import { PACKETS, SCANNER_EVIDENCE } from '../schema.js';
import { supportsTtl, ttlStatements } from './retention-ttl.js';

describe('retention TTLs', () => {
  it('supportsTtl() is true from 19.6 on, false for 18.16 and text that is no version', () => {
    expect(['18.16.1', '19.5.3.8', '19.6.2.11', '19.13.1', '24.3.2.23', 'x'].map(supportsTtl)).toEqual([
      false,
      false,
      true,
      true,
      true,
      false,
    ]);
  });

  it('ttlStatements() writes MODIFY TTL on the table, or on its _local table ON CLUSTER', () => {
    const rules = [
      { table: PACKETS, ttlTime: "toDate('1970-01-01') + local_day", days: 30 },
      { table: SCANNER_EVIDENCE, ttlTime: 'toDateTime(window_end)', days: 365 },
    ];
    expect(ttlStatements(rules, { database: 'teiten' })).toEqual([
      "ALTER TABLE packet_rows MODIFY TTL toDate('1970-01-01') + local_day + INTERVAL 30 DAY",
      'ALTER TABLE scanner_piece_rows MODIFY TTL toDateTime(window_end) + INTERVAL 365 DAY',
    ]);
    expect(ttlStatements(rules.slice(0, 1), { database: 'teiten', cluster: 'obs' })).toEqual([
      "ALTER TABLE teiten.packet_rows_local ON CLUSTER obs MODIFY TTL toDate('1970-01-01') + local_day + INTERVAL 30 DAY",
    ]);
  });
});
