import { describe, expect, it } from 'vitest';
import { packCountry, parseIpv4 } from '../classify/index.js';
import { runPipeline, TrafficBuilder } from '../../test/detect/traffic-kit.js';
import { BackscatterDetector, type BackscatterOptions, type BackscatterResult } from './backscatter.js';

const T0 = 1_275_350_400; // 2010-06-01T00:00:00Z
const SENSOR = parseIpv4('198.18.0.0');
const VICTIM = parseIpv4('203.0.113.5');

/** `n` SYN/ACKs from `victim`:`port`, `gap` seconds apart from `start`, to sensor addresses 0..spread-1. */
function synAcks(t: TrafficBuilder, init: { victim?: number; port?: number; start: number; n: number; gap: number; spread?: number }): void {
  for (let k = 0; k < init.n; k++) {
    t.add({ ts: init.start + k * init.gap, src: init.victim ?? VICTIM, dst: SENSOR + (k % (init.spread ?? 1)),
      l4: { kind: 'tcp', srcPort: init.port ?? 80, dstPort: 1024 + k, flags: 0x12 } });
  }
}

async function detect(t: TrafficBuilder, options: BackscatterOptions = {}): Promise<BackscatterResult> {
  const d = new BackscatterDetector(options);
  await runPipeline(t.toPcap(), [d]);
  return d.finish();
}

describe('BackscatterDetector', () => {
  it('finish() reports an attack with rates, extrapolation, checks and why', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 240, gap: 0.5, spread: 8 }); // 240 packets over 119.5 s, 60 in each whole minute
    const r = await detect(t, { monitoredAddresses: 256 });
    expect(r.attacks).toHaveLength(1);
    const a = r.attacks[0]!;
    expect(a).toMatchObject({
      victim: '203.0.113.5', protocol: 'TCP', packets: 240, durationSec: 119.5, sensorAddresses: 8, peakRatePps: 2,
      meanRatePps: Number((240 / 119.5).toFixed(3)), responses: { 'TCP SYN/ACK': 240 }, start: T0, end: T0 + 119.5,
    });
    expect(a.extrapolatedRatePps).toBeCloseTo((240 / 119.5) * 2 ** 24, -1);
    expect(a.extrapolatedPeakRatePps).toBe(2 * 2 ** 24);
    expect(a.checks.map((c) => [c.name, c.passed])).toEqual([['packets', true], ['duration', true], ['rate', true], ['sensor addresses', true]]);
    expect(a.why).toBe('Unsolicited 240 TCP SYN/ACK attributed to 203.0.113.5 (80/TCP) reached 8 sensor address(es): a TCP attack on '
      + '203.0.113.5 because packets 240 ≥ 100, duration 119.5 s ≥ 60 s, rate 2.008 pps ≥ 0 pps, sensor addresses 8 ≥ 1');
  });

  it('finish() applies each threshold', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 200, gap: 1, spread: 4 });
    expect((await detect(t, { minPackets: 201 })).attacks).toEqual([]);
    expect((await detect(t, { minDurationSec: 200 })).attacks).toEqual([]);
    expect((await detect(t, { minRatePps: 1.1 })).attacks).toEqual([]);
    expect((await detect(t, { minSensorAddresses: 5 })).attacks).toEqual([]);
    const r = await detect(t, { minPackets: 200, minDurationSec: 199, minRatePps: 1, minSensorAddresses: 4 });
    expect(r.attacks).toHaveLength(1);
    expect(r.stats).toMatchObject({ flows: 1, flowsBelowThresholds: 0, packets: 200 });
  });

  it('push() ends a flow after the timeout and closes idle flows as time advances', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 150, gap: 1 });
    synAcks(t, { start: T0 + 149 + 301, n: 150, gap: 1 }); // 301 s of quiet: a new flow
    synAcks(t, { victim: VICTIM + 1, start: T0 + 2000, n: 150, gap: 1 });
    const d = new BackscatterDetector();
    await runPipeline(t.toPcap(), [d]);
    expect(d.openFlows).toBe(1); // the first victim's flows were swept
    const r = d.finish();
    expect(r.attacks.map((a) => [a.victim, a.packets])).toEqual([['203.0.113.5', 150], ['203.0.113.5', 150], ['203.0.113.6', 150]]);
    const joined = await detect(t, { flowTimeoutSec: 302 });
    expect(joined.attacks.map((a) => a.packets)).toEqual([300, 150]);
  });

  it('push() keeps separate flows per attack protocol and counts ICMP errors by country lookup', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 120, gap: 1 });
    for (let k = 0; k < 120; k++) {
      t.icmpError(T0 + k, { router: VICTIM, sensor: SENSOR, type: 3, code: 3, quote: {
        ip: { version: 4, src: SENSOR, dst: VICTIM }, l4: { kind: 'udp', srcPort: 999, dstPort: 27015 } } });
    }
    const jp = packCountry('JP');
    const r = await detect(t, { countryOf: (addr) => (addr === VICTIM ? jp : 0) });
    expect(r.attacks.map((a) => [a.protocol, a.countryCode, a.victimPorts[0]!.service])).toEqual([['TCP', '', '80/TCP'], ['UDP', 'JP', '27015/UDP']]);
    expect(r.days[0]!.byCountry).toEqual([{ key: '', packets: 120, victims: 1 }, { key: 'JP', packets: 120, victims: 1 }]);
    expect(r.days[0]!.responses).toEqual({ 'TCP SYN/ACK': 120, 'ICMP unreachable': 120 });
  });

  it('push() ignores responses outside the sensor and new victims past maxFlows', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0, n: 10, gap: 1, spread: 2 });
    synAcks(t, { victim: VICTIM + 7, start: T0 + 0.5, n: 10, gap: 1 });
    const outside = await detect(t, { isSensorAddress: (a) => a === SENSOR });
    expect(outside.stats).toMatchObject({ packets: 15, outsideSensor: 5 });
    const limited = await detect(t, { maxFlows: 1 });
    expect(limited.stats).toMatchObject({ packets: 10, droppedFlowLimit: 10 });
  });

  it('finish() keeps days in the given time zone', async () => {
    const t = new TrafficBuilder();
    synAcks(t, { start: T0 + 14 * 3600, n: 4, gap: 3600 }); // 14:00–17:00 UTC = 23:00–02:00 JST
    const r = await detect(t, { timeZone: 'Asia/Tokyo' });
    expect(r.days.map((d) => [d.day, d.packets])).toEqual([['2010-06-01', 1], ['2010-06-02', 3]]);
  });

  it('BackscatterDetector rejects bad options with RangeError naming the option', () => {
    expect(() => new BackscatterDetector({ minPackets: -1 })).toThrow(/minPackets is -1/);
    expect(() => new BackscatterDetector({ monitoredAddresses: 0 })).toThrow(/monitoredAddresses is 0/);
    expect(() => new BackscatterDetector({ monitoredAddresses: 2 ** 32 + 1 })).toThrow(RangeError);
    expect(() => new BackscatterDetector({ flowTimeoutSec: 0 })).toThrow(/flowTimeoutSec/);
    expect(() => new BackscatterDetector({ timeZone: 'Mars/Olympus' })).toThrow();
  });
});
