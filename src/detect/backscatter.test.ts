import { describe, expect, it } from 'vitest';
import { packCountry } from '../classify/index.js';
import { runPipeline, TrafficBuilder } from '../../test/detect/traffic-kit.js';
import { BackscatterDetector, type BackscatterOptions, type BackscatterResult } from './backscatter.js';
import { parseIpv4 } from '../util/ip-address.js';

const T0 = 1_275_350_400; // 2010-06-01T00:00:00Z
const SENSOR = parseIpv4('198.18.0.0');
const VICTIM = parseIpv4('203.0.113.5');

/** `n` SYN/ACKs from `victim`:`port`, `gap` seconds apart from `start`, to sensor addresses 0..spread-1. */
function synAcks(
  t: TrafficBuilder,
  init: { victim?: number; port?: number; start: number; n: number; gap: number; spread?: number },
): void {
  for (let k = 0; k < init.n; k++) {
    t.add({
      ts: init.start + k * init.gap,
      src: init.victim ?? VICTIM,
      dst: SENSOR + (k % (init.spread ?? 1)),
      l4: { kind: 'tcp', srcPort: init.port ?? 80, dstPort: 1024 + k, flags: 0x12 },
    });
  }
}

async function detect(t: TrafficBuilder, options: BackscatterOptions = {}): Promise<BackscatterResult> {
  const d = new BackscatterDetector(options);
  await runPipeline(t.toPcap(), [d]);
  return d.finish();
}

describe('BackscatterDetector', () => {
  it('finish() reports an attack with rates, extrapolation, per-sensor part, checks and why', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 240, gap: 0.5, spread: 8 }); // two packets in each whole second T0 … T0 + 119
    const r = await detect(t, { monitoredAddresses: 256 });
    expect(r.attacks).toHaveLength(1);
    const a = r.attacks[0]!;
    expect(a).toMatchObject({
      victim: '203.0.113.5',
      protocol: 'TCP',
      packets: 240,
      durationSec: 119,
      sensorAddresses: 8,
      peakWindowPackets: 120,
      peakRatePps: 2,
      meanRatePps: 2.017,
      responses: { 'TCP SYN/ACK': 240 },
      start: T0,
      end: T0 + 119,
      monitoredAddresses: 256,
      sensors: [{ sensorId: 0, packets: 240, addresses: 8 }],
      extrapolationWithheld: null,
    });
    expect(a.extrapolatedRatePps).toBeCloseTo((240 / 119) * 2 ** 24, 2);
    expect(a.extrapolatedPeakRatePps).toBe(2 * 2 ** 24);
    expect(a.checks.map((c) => [c.name, c.passed])).toEqual([
      ['packets', true],
      ['duration', true],
      ['window packets', true],
      ['rate', true],
      ['sensor addresses', true],
    ]);
    expect(a.why).toBe(
      'Unsolicited 240 TCP SYN/ACK attributed to 203.0.113.5 (80/TCP) reached 8 telescope address(es) at 1 sensor(s): ' +
        'a TCP attack on 203.0.113.5 because packets 240 ≥ 25, duration 119 s ≥ 60 s, window packets 120 ≥ 30, rate 2.017 pps ≥ 0 pps, ' +
        'sensor addresses 8 ≥ 1',
    );
  });

  it('finish() withholds the extrapolated rate of a telescope under 256 addresses, saying why', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 240, gap: 0.5, spread: 4 });
    const [a] = (await detect(t, { monitoredAddresses: 4 })).attacks;
    expect(a).toMatchObject({ extrapolatedRatePps: null, extrapolatedPeakRatePps: null, monitoredAddresses: 4 });
    expect(a!.extrapolationWithheld).toMatch(/monitors 4 IPv4 address\(es\), fewer than 256/);
    const [none] = (await detect(t)).attacks;
    expect(none!.extrapolationWithheld).toMatch(/monitors 0 IPv4/);
  });

  it('finish() applies each threshold, the Corsaro defaults included', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 200, gap: 1, spread: 4 }); // 200 packets, 199 s, 60 in the busiest 60 s, 1.005 pps
    expect((await detect(t, { minPackets: 201 })).attacks).toEqual([]);
    expect((await detect(t, { minDurationSec: 200 })).attacks).toEqual([]);
    expect((await detect(t, { minWindowPackets: 61 })).attacks).toEqual([]);
    expect((await detect(t, { minRatePps: 1.1 })).attacks).toEqual([]);
    expect((await detect(t, { minSensorAddresses: 5 })).attacks).toEqual([]);
    const r = await detect(t, {
      minPackets: 200,
      minDurationSec: 199,
      minWindowPackets: 60,
      minRatePps: 1,
      minSensorAddresses: 4,
    });
    expect(r.attacks).toHaveLength(1);
    expect(r.stats).toMatchObject({ flows: 1, flowsBelowThresholds: 0, packets: 200 });
    // 100 packets 10 s apart: enough packets and time, but at most 6 in any 60 s window (< 30).
    const slow = new TrafficBuilder();
    synAcks(slow, { start: T0, n: 100, gap: 10 });
    const s = await detect(slow);
    expect(s.attacks).toEqual([]);
    expect(s.stats).toMatchObject({ flows: 1, flowsBelowThresholds: 1 });
    expect((await detect(slow, { minWindowPackets: 6 })).attacks).toHaveLength(1);
  });

  it('finish() ends a flow after more than the timeout of quiet', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 150, gap: 1 });
    synAcks(t, { start: T0 + 149 + 301, n: 150, gap: 1 }); // 301 s of quiet: a new flow
    synAcks(t, { victim: VICTIM + 1, start: T0 + 2000, n: 150, gap: 1 });
    const r = await detect(t);
    expect(r.attacks.map((a) => [a.victim, a.packets])).toEqual([
      ['203.0.113.5', 150],
      ['203.0.113.5', 150],
      ['203.0.113.6', 150],
    ]);
    const joined = await detect(t, { flowTimeoutSec: 301 });
    expect(joined.attacks.map((a) => a.packets)).toEqual([300, 150]);
  });

  it('push() keeps separate flows per attack protocol and counts ICMP errors by country lookup', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 120, gap: 1 });
    for (let k = 0; k < 120; k++) {
      t.icmpError(T0 + k, {
        router: VICTIM,
        sensor: SENSOR,
        type: 3,
        code: 3,
        quote: {
          ip: { version: 4, src: SENSOR, dst: VICTIM },
          l4: { kind: 'udp', srcPort: 999, dstPort: 27015 },
        },
      });
    }
    const jp = packCountry('JP');
    const r = await detect(t, { countryOf: (addr) => (addr === VICTIM ? jp : 0) });
    expect(r.attacks.map((a) => [a.protocol, a.countryCode, a.victimPorts[0]!.service])).toEqual([
      ['TCP', '', '80/TCP'],
      ['UDP', 'JP', '27015/UDP'],
    ]);
    expect(r.days[0]!.byCountry).toEqual([
      { key: '', packets: 120, victims: 1 },
      { key: 'JP', packets: 120, victims: 1 },
    ]);
    expect(r.days[0]!.responses).toEqual({ 'TCP SYN/ACK': 120, 'ICMP unreachable': 120 });
  });

  it('push() ignores responses outside the sensor; a flood collapses into one evidence row per second and address', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 10, gap: 1, spread: 2 });
    synAcks(t, { victim: VICTIM + 7, start: T0 + 0.5, n: 10, gap: 1 });
    const outside = await detect(t, { isSensorAddress: (a) => a === SENSOR });
    expect(outside.stats).toMatchObject({ packets: 15, outsideSensor: 5 });
    const flood = new TrafficBuilder();
    synAcks(flood, { start: T0, n: 1000, gap: 0.01 }); // 100 a second for 10 s, one address and port
    expect((await detect(flood)).stats).toMatchObject({ packets: 1000, evidenceRows: 10 });
  });

  it('finish() keeps days in the given time zone', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0 + 14 * 3600, n: 4, gap: 3600 }); // 14:00–17:00 UTC = 23:00–02:00 JST
    const r = await detect(t, { timeZone: 'Asia/Tokyo' });
    expect(r.days.map((d) => [d.day, d.packets])).toEqual([
      ['2010-06-01', 1],
      ['2010-06-02', 3],
    ]);
  });

  it('BackscatterDetector rejects bad options with RangeError naming the option', () => {
    expect(() => new BackscatterDetector({ minPackets: -1 })).toThrow(/minPackets is -1/);
    expect(() => new BackscatterDetector({ minWindowPackets: Number.NaN })).toThrow(/minWindowPackets/);
    expect(() => new BackscatterDetector({ monitoredAddresses: -1 })).toThrow(/monitoredAddresses is -1/);
    expect(() => new BackscatterDetector({ monitoredAddresses: 2 ** 32 + 1 })).toThrow(RangeError);
    expect(() => new BackscatterDetector({ flowTimeoutSec: 0 })).toThrow(/flowTimeoutSec/);
    expect(() => new BackscatterDetector({ windowSec: 1.5 })).toThrow(/windowSec/);
    expect(() => new BackscatterDetector({ timeZone: 'Mars/Olympus' })).toThrow();
  });
});
