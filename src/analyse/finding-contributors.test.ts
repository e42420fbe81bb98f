import { describe, expect, it } from 'vitest';
import { selectContributors } from './finding-contributors.js';

describe('selectContributors()', () => {
  const contributors = {
    countries: [
      { code: 'us', sharePct: 30 },
      { code: 'CN', sharePct: 45 },
      { code: 'KR', sharePct: 21 },
    ],
    services: [{ key: '80/TCP', sharePct: 60 }],
    sourcePorts: [{ key: '6000/TCP', sharePct: 19.9 }],
    sources: [
      { addr: '192.0.2.1', sharePct: 25 },
      { addr: '192.0.2.2', sharePct: 24 },
    ],
  };

  it('selectContributors() names the largest of each kind above the floor, one source, countries in upper case', () => {
    expect(selectContributors(contributors, { dimension: 'category', subject: 'x' })).toEqual([
      { kind: 'country', key: 'CN', sharePct: 45 },
      { kind: 'country', key: 'US', sharePct: 30 },
      { kind: 'service', key: '80/TCP', sharePct: 60 },
      { kind: 'source', key: '192.0.2.1', sharePct: 25 },
    ]);
    const loose = selectContributors(contributors, { dimension: 'category', subject: 'x', minPct: 10, maxPerKind: 3 });
    expect(loose.map((c) => c.key)).toEqual(['CN', 'US', 'KR', '80/TCP', '6000/TCP', '192.0.2.1']);
  });

  it("selectContributors() does not name the finding's own dimension", () => {
    expect(selectContributors(contributors, { dimension: 'country', subject: 'x' }).map((c) => c.kind)).toEqual([
      'service',
      'source',
    ]);
    expect(selectContributors(contributors, { dimension: 'service', subject: 'x' }).map((c) => c.kind)).toEqual([
      'country',
      'country',
      'source',
    ]);
    expect(selectContributors(undefined, { dimension: 'service', subject: 'x' })).toEqual([]);
  });
});
