/**
 * Reflection episodes over a telescope, against the ground truth of seeded
 * simulated floods (`testdata/reflection-floods.ts`): the same episodes
 * whether each sensor's packets come in one capture or in three pieces
 * ingested in reverse order, on DuckDB and (with `CLICKHOUSE_URL`)
 * ClickHouse; and on the real DNS, SNMP and IKE amplification captures, against tshark.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestCapture } from '../ingest/index.js';
import { pcapOf, tempDir, writeTemp, type TestFrame } from '../ingest/testdata/captures.js';
import { openStore, type AnalyticsStore } from '../store/index.js';
import { clickHouseTestDb } from '../store/testdata/clickhouse-test-db.js';
import { haveCommand } from '../util/have-command.js';
import { parsePeriod } from '../util/period.js';
import { quotedQuery, telescopeReflection, type TelescopeReflection } from './reflection-episodes.js';
import { resolveScopes } from './scope.js';
import { DEFAULT_REFLECTION_SETTINGS } from '../detect/reflection-episodes.js';
import { REFLECTOR_UDP_PORTS } from '../detect/index.js';
import { DEFAULT_DELIVERY_HORIZON_SEC } from './backscatter-attacks.js';
import { FLOOD_PERIOD, OSAKA, reflectionFloods, TOKYO, type PlantedEpisode } from './testdata/reflection-floods.js';

const SEEDS = [1, 2];
const url = process.env['CLICKHOUSE_URL'];
type Backend = () => { target: string; drop: () => Promise<void> };
const targets: [string, Backend][] = [
  ['DuckDB', () => ({ target: ':memory:', drop: async () => undefined })],
  ...(url === undefined || url === ''
    ? []
    : [
        [
          'ClickHouse',
          () => {
            const db = clickHouseTestDb(url, 'reflection');
            return { target: db.storeUrl, drop: () => db.drop() };
          },
        ] as [string, Backend],
      ]),
];

function planted(result: TelescopeReflection): PlantedEpisode[] {
  return result.episodes.map((e) => ({
    kind: e.kind,
    service: e.service,
    target: e.target,
    start: e.start,
    end: e.end,
    replies: e.replies,
    quotedQueries: e.quotedQueries,
    replyBytes: e.replyBytes,
    fragmentBytes: e.fragmentBytes,
    reflectors: e.reflectors,
    sensorAddresses: e.sensorAddresses,
  }));
}

const byStart = (list: PlantedEpisode[]): PlantedEpisode[] =>
  [...list].sort((a, b) => a.start - b.start || a.target.localeCompare(b.target));

async function ingestPieces(store: AnalyticsStore, frames: Map<string, TestFrame[]>, pieces: number): Promise<void> {
  const dir = tempDir('teiten-reflection-');
  for (const [sensor, list] of frames) {
    const size = Math.ceil(list.length / pieces);
    for (let p = pieces - 1; p >= 0; p--) {
      const piece = list.slice(p * size, (p + 1) * size);
      if (piece.length > 0)
        await ingestCapture(store, sensor, writeTemp(dir, `${sensor}-${p}.pcap`, pcapOf(piece)), {
          geo: null,
          detection: null,
        });
    }
  }
}

async function episodesOf(store: AnalyticsStore, period: string): Promise<TelescopeReflection> {
  const { current } = await resolveScopes(store, parsePeriod(period, { timeZone: 'UTC' }));
  return telescopeReflection(store, current);
}

describe.each(targets)('telescopeReflection() on %s', (_name, make) => {
  const stores: AnalyticsStore[] = [];
  const drops: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const d of drops) await d();
  });
  async function fresh(): Promise<AnalyticsStore> {
    const backend = make();
    drops.push(backend.drop);
    const store = await openStore(backend.target, { timeZone: 'UTC' });
    stores.push(store);
    await store.addSensor(TOKYO);
    await store.addSensor(OSAKA);
    return store;
  }

  it.each(SEEDS)(
    'telescopeReflection() finds the planted episodes of seed %i, however the captures were cut',
    async (seed) => {
      const { frames, truth } = reflectionFloods(seed);
      const whole = await fresh();
      await ingestPieces(whole, frames, 1);
      const result = await episodesOf(whole, FLOOD_PERIOD);
      expect(byStart(planted(result))).toEqual(byStart(truth));
      expect(result.rawPackets).toBeGreaterThan(0);
      const cut = await fresh();
      await ingestPieces(cut, frames, 3);
      expect(await episodesOf(cut, FLOOD_PERIOD)).toEqual(result);
    },
    60_000,
  );
});

describe('telescopeReflection() delivery', () => {
  it('telescopeReflection() keeps an episode open until every sensor has delivered past it or the horizon has passed', async () => {
    const { frames } = reflectionFloods(1);
    const store = await openStore(':memory:', { timeZone: 'UTC' });
    try {
      await store.addSensor(TOKYO);
      await store.addSensor(OSAKA);
      const dir = tempDir('teiten-reflection-delivery-');
      await ingestCapture(store, TOKYO.name, writeTemp(dir, 'tokyo.pcap', pcapOf(frames.get(TOKYO.name)!)), {
        geo: null,
        detection: null,
      });
      const { current } = await resolveScopes(store, parsePeriod(FLOOD_PERIOD, { timeZone: 'UTC' }));
      const at = async (nowSec: number): Promise<[number, number]> => {
        const r = await telescopeReflection(store, current, { delivery: { nowSec } });
        return [r.episodes.length, r.openEpisodes.length];
      };
      const first = (await telescopeReflection(store, current, { delivery: { nowSec: 0 } })).openEpisodes[0]!;
      const quietFrom = first.end + DEFAULT_REFLECTION_SETTINGS.gapSec;
      // Tokyo's packets alone hold the two DNS reflections on 198.51.100.5 (the Memcached flood's 24 answers to tokyo are too few).
      const tokyoOnly = 2;
      expect(await at(0)).toEqual([0, tokyoOnly]);
      expect(
        (await telescopeReflection(store, current, { delivery: { nowSec: quietFrom + DEFAULT_DELIVERY_HORIZON_SEC } }))
          .episodes[0],
      ).toEqual(first);
      expect(await at(quietFrom + DEFAULT_DELIVERY_HORIZON_SEC - 1)).toEqual([0, tokyoOnly]);
      const late = frames
        .get(OSAKA.name)!
        .filter((f) => f.sec > quietFrom)
        .slice(0, 1);
      await ingestCapture(store, OSAKA.name, writeTemp(dir, 'osaka.pcap', pcapOf(late)), {
        geo: null,
        detection: null,
      });
      expect(await at(0)).toEqual([tokyoOnly, 0]);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('quotedQuery()', () => {
  it('quotedQuery() reads the reflector and port of a quoted UDP query from the target, and nothing else', () => {
    // IPv4 header (IHL 5, UDP) 203.0.113.7 → 61.1.2.3, then UDP 40000 → 123.
    const quote = '45000024000000004011000' + '0cb007107' + '3d010203' + '9c40007b00100000';
    const target = 0xcb007107;
    expect(quotedQuery(quote, target)).toEqual({ reflector: 0x3d010203, port: 123 });
    expect(quotedQuery(quote, target + 1)).toBeNull();
    expect(quotedQuery(quote.replace('9c40007b', '9c401f90'), target)).toBeNull();
    expect(quotedQuery(quote.slice(0, 30), target)).toBeNull();
  });
});

const CAPTURES = new URL('../../../shared/captures/', import.meta.url).pathname;
/** Real amplification captures (destination anonymised to 10.10.10.10) and the reflector port of each. */
const REAL = [
  { file: 'amp.dns.RRSIG.fragmented.pcap', port: 53 },
  { file: 'amp.UDP.snmp.src161.pcapng', port: 161 },
  { file: 'amp.UDP.isakmp.pcap', port: 4500 },
] as const;
const realSkip = (file: string): string =>
  !existsSync(`${CAPTURES}${file}`)
    ? `${CAPTURES}${file} is absent`
    : !haveCommand('tshark')
      ? 'tshark is not installed'
      : '';
for (const { file } of REAL)
  if (realSkip(file) !== '') console.log(`Skipping the real amplification capture ${file}: ${realSkip(file)}`);
const REFLECTOR_PORT_SET = `{${[...REFLECTOR_UDP_PORTS.keys()].join(', ')}}`;

describe('telescopeReflection() on real amplification captures', () => {
  for (const { file, port } of REAL)
    it.skipIf(realSkip(file) !== '')(
      `telescopeReflection() counts the answers, bytes and reflectors of ${file} as tshark does`,
      async () => {
        const path = `${CAPTURES}${file}`;
        const tshark = (filter: string): string[][] =>
          execFileSync(
            'tshark',
            [
              '-r',
              path,
              '-o',
              'ip.defragment:FALSE',
              '-Y',
              filter,
              '-T',
              'fields',
              '-e',
              'frame.time_epoch',
              '-e',
              'ip.src',
              '-e',
              'ip.len',
            ],
            { encoding: 'utf8' },
          )
            .trim()
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => l.split('\t'));
        const answers = tshark(
          `ip.dst == 10.10.10.10 && !icmp && udp.srcport == ${port} && !(udp.dstport in ${REFLECTOR_PORT_SET})`,
        );
        const answerSources = new Set(answers.map((a) => a[1]));
        const fragments = tshark('ip.dst == 10.10.10.10 && ip.proto == 17 && ip.frag_offset > 0').filter((f) =>
          answerSources.has(f[1]),
        );
        const sum = (rows: string[][]): number => rows.reduce((s, r) => s + Number(r[2]), 0);
        const day = new Date(Math.floor(Number(answers[0]![0])) * 1000).toISOString().slice(0, 10);

        const store = await openStore(':memory:', { timeZone: 'UTC' });
        try {
          await store.addSensor({ name: 'anon', label: '', addresses: ['10.10.10.10/32'] });
          await ingestCapture(store, 'anon', path, { geo: null, detection: null });
          const result = await episodesOf(store, `${day}..${day}`);
          const ofPort = result.episodes.filter((e) => e.service === `${port}/UDP`);
          expect(ofPort).toHaveLength(1);
          const [e] = ofPort;
          expect(e).toMatchObject({
            kind: 'reflection',
            target: '10.10.10.10',
            replies: answers.length,
            replyBytes: sum(answers),
            fragmentBytes: sum(fragments),
            reflectors: answerSources.size,
            sensorAddresses: 1,
          });
          console.log(
            `real ${file}: ${result.episodes.length} episode(s); ${e!.service} ${e!.protocol}: ${e!.replies} answers, ` +
              `${e!.replyBytes} + ${e!.fragmentBytes} bytes, ${e!.reflectors} reflectors, mean ${e!.meanReplyBytes} bytes`,
          );
        } finally {
          await store.close();
        }
      },
      60_000,
    );
});
