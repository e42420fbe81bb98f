import { describe, expect, it } from 'vitest';
import { runPipeline, TrafficBuilder } from '../../test/detect/traffic-kit.js';
import { ReflectionDetector, type ReflectionOptions, type ReflectionResult } from './reflection.js';
import { parseIpv4 } from '../util/ip-address.js';

const T0 = 1_275_350_400;
const SENSOR = parseIpv4('198.18.0.9');
const NTP = parseIpv4('192.0.2.123');
const ROUTER = parseIpv4('192.0.2.1');

async function detect(t: TrafficBuilder, options: ReflectionOptions = {}): Promise<ReflectionResult> {
  const d = new ReflectionDetector(options);
  await runPipeline(t.toPcap(), [d]);
  return d.finish();
}

const quote = (dstPort: number, src = SENSOR) => ({
  ip: { version: 4 as const, src, dst: NTP },
  l4: { kind: 'udp' as const, srcPort: 80, dstPort },
});

describe('ReflectionDetector', () => {
  it('finish() counts replies from reflector ports and ICMP errors quoting spoofed queries per day and service', async () => {
    const t = new TrafficBuilder();
    for (let k = 0; k < 3; k++)
      t.add({
        ts: T0 + k,
        src: NTP + k,
        dst: SENSOR + k,
        l4: { kind: 'udp', srcPort: 123, dstPort: 80 },
        payload: new Uint8Array(440),
      });
    t.add({
      ts: T0 + 86_400,
      src: NTP,
      dst: SENSOR,
      l4: { kind: 'udp', srcPort: 123, dstPort: 80 },
      payload: new Uint8Array(440),
    });
    t.icmpError(T0 + 5, { router: ROUTER, sensor: SENSOR, type: 11, code: 0, quote: quote(123) });
    t.icmpError(T0 + 6, { router: NTP, sensor: SENSOR, type: 3, code: 3, quote: quote(53) });
    const r = await detect(t);
    expect(r.stats).toEqual({ replies: 4, quotedQueries: 2, ipv6: 0 });
    expect(
      r.rows.map((row) => [row.day, row.service, row.replies, row.quotedQueries, row.reflectors, row.sensorAddresses]),
    ).toEqual([
      ['2010-06-01', '123/UDP', 3, 1, 3, 3],
      ['2010-06-01', '53/UDP', 0, 1, 1, 1],
      ['2010-06-02', '123/UDP', 1, 0, 1, 1],
    ]);
    expect(r.byService[0]).toMatchObject({
      day: '',
      service: '123/UDP',
      protocol: 'NTP',
      replies: 4,
      quotedQueries: 1,
      meanReplyBytes: 468,
    });
    expect(r.byService[0]!.why).toBe(
      '4 unsolicited NTP replies (mean 468 bytes) from 123/UDP and 1 ICMP errors quoting spoofed NTP queries ' +
        'to 123/UDP, involving 3 reflector(s) and 3 sensor address(es): reflection abuse with a sensor address spoofed as the victim',
    );
  });

  it('push() ignores queries to reflectors, other ICMP codes and quotes from other sources', async () => {
    const t = new TrafficBuilder();
    t.add({ ts: T0, src: NTP, dst: SENSOR, l4: { kind: 'udp', srcPort: 40_000, dstPort: 123 } }); // a probe to NTP
    t.add({ ts: T0, src: NTP, dst: SENSOR, l4: { kind: 'udp', srcPort: 123, dstPort: 123 } }); // server to server
    t.icmpError(T0 + 1, { router: ROUTER, sensor: SENSOR, type: 3, code: 1, quote: quote(123) }); // host unreachable
    t.icmpError(T0 + 2, { router: ROUTER, sensor: SENSOR, type: 11, code: 0, quote: quote(8080) }); // not a reflector port
    t.icmpError(T0 + 3, { router: ROUTER, sensor: SENSOR, type: 11, code: 0, quote: quote(123, ROUTER) }); // not spoofed from here
    const r = await detect(t);
    expect(r.stats).toEqual({ replies: 0, quotedQueries: 0, ipv6: 0 });
    expect(r.rows).toEqual([]);
  });

  it('finish() uses the given time zone for days', async () => {
    const t = new TrafficBuilder();
    t.add({ ts: T0 + 15 * 3600, src: NTP, dst: SENSOR, l4: { kind: 'udp', srcPort: 1900, dstPort: 80 } });
    expect((await detect(t, { timeZone: 'Asia/Tokyo' })).rows.map((r) => [r.day, r.protocol])).toEqual([
      ['2010-06-02', 'SSDP'],
    ]);
  });
});
