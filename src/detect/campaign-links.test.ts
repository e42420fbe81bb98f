/**
 * `linkOf()` and `findCampaigns()` on hand-built sources: each gate, the
 * reasons as data, a tool's own IP ID and window not counted twice, and
 * the candidate-pair search giving exactly the links of trying every pair.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../util/random.js';
import { DEFAULT_CAMPAIGN_SETTINGS, findCampaigns, linkOf, type CampaignSource } from './campaign-links.js';

const T = 1_717_372_800;
const source = (address: number, o: Partial<CampaignSource> = {}): CampaignSource => ({
  source: `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`,
  address,
  asn: 0,
  countryCode: '--',
  firstSeen: T,
  lastSeen: T + 600,
  packets: 100,
  services: ['80/TCP', '443/TCP'],
  tools: [],
  ttl: null,
  window: null,
  ipId: null,
  sport: null,
  ...o,
});
const A = 0x0b000001; // 11.0.0.1
const SAME_24 = 0x0b000063; // 11.0.0.99
const OTHER = 0x0c000001; // 12.0.0.1

describe('linkOf()', () => {
  it('linkOf() needs alike ports, coordination and enough evidence, and says why', () => {
    const x = source(A, { tools: ['masscan'], sport: { kind: 'fixed', port: 61000 } });
    const handoff = source(OTHER, {
      firstSeen: T + 630,
      lastSeen: T + 1200,
      tools: ['masscan'],
      sport: { kind: 'fixed', port: 61000 },
    });
    expect(linkOf(x, handoff)?.reasons).toEqual([
      { kind: 'port-set', jaccard: 1, ports: ['443/TCP', '80/TCP'] },
      { kind: 'rotation', early: '11.0.0.1', late: '12.0.0.1', gapSec: 30 },
      { kind: 'same-tool', tools: ['masscan'] },
      { kind: 'same-source-port', port: 61000 },
    ]);
    expect(linkOf(x, { ...handoff, sport: { kind: 'varied' } })).toBeNull();
    expect(linkOf(x, { ...handoff, firstSeen: T + 661 })).toBeNull();
    expect(linkOf(x, { ...handoff, services: ['80/TCP', '8080/TCP'] })).toBeNull();
    expect(linkOf(x, source(SAME_24, { firstSeen: T + 5000, lastSeen: T + 6000, tools: ['masscan'] }))?.score).toBe(3);
  });

  it("linkOf() does not count a shared tool's own IP ID and window again", () => {
    const zmap = { tools: ['zmap'], ipId: { kind: 'constant', value: 54321 } as const, window: 65535 };
    const x = source(A, zmap);
    const y = source(OTHER, { ...zmap, firstSeen: T + 620, lastSeen: T + 900 });
    expect(linkOf(x, y)).toBeNull();
    const plain = { ipId: { kind: 'constant', value: 0 } as const, window: 512 };
    expect(
      linkOf(source(A, plain), source(OTHER, { ...plain, firstSeen: T + 620, lastSeen: T + 900 }))?.reasons.slice(2),
    ).toEqual([
      { kind: 'same-ip-id', ipId: 0 },
      { kind: 'same-window', window: 512 },
    ]);
  });
});

describe('findCampaigns()', () => {
  it('findCampaigns() finds the links of trying every pair, and groups them', () => {
    const rng = new Rng(5);
    const services = [['23/TCP'], ['445/TCP'], ['80/TCP', '443/TCP']];
    const sources = Array.from({ length: 300 }, (_, i): CampaignSource => {
      const first = T + rng.int(20_000);
      return source((((11 + rng.int(3)) << 24) | (rng.int(4) << 16) | i) >>> 0, {
        firstSeen: first,
        lastSeen: first + rng.int(2_000),
        services: services[rng.int(3)]!,
        tools: rng.int(2) === 0 ? ['mirai'] : [],
        ttl: 50 + rng.int(3),
        window: rng.int(2) === 0 ? 1024 : 512,
        sport: rng.int(4) === 0 ? { kind: 'stepping' } : { kind: 'varied' },
      });
    });
    const { links, campaigns } = findCampaigns(sources);
    const brute = new Set<string>();
    for (let i = 0; i < sources.length; i++) {
      for (let k = i + 1; k < sources.length; k++)
        if (linkOf(sources[i]!, sources[k]!, DEFAULT_CAMPAIGN_SETTINGS) !== null)
          brute.add([sources[i]!.source, sources[k]!.source].sort().join('|'));
    }
    expect(brute.size).toBeGreaterThan(10);
    expect(new Set(links.map((l) => [l.a, l.b].sort().join('|')))).toEqual(brute);
    const linked = new Set(links.flatMap((l) => [l.a, l.b]));
    expect(new Set(campaigns.flatMap((c) => c.sources))).toEqual(linked);
    for (const c of campaigns) expect(c.links.length).toBeGreaterThanOrEqual(c.sources.length - 1);
  });
});
