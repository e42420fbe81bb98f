/**
 * `reflectionEpisodes()` on hand-built evidence rows: each threshold at its
 * edge, the gap split, which reading claims an answer, and fragments.
 */
import { describe, expect, it } from 'vitest';
import {
  checkReflectionSettings,
  DEFAULT_REFLECTION_SETTINGS,
  ReflectionEvidenceKind,
  reflectionEpisodes,
  type ReflectionEvidenceRow,
} from './reflection-episodes.js';

const SENSOR = 0xc6336405; // 198.51.100.5
const R = (n: number): number => (0x3d000000 + n) >>> 0; // 61.0.0.n
const reply = (sec: number, reflector: number, target = SENSOR, port = 53, bytes = 500): ReflectionEvidenceRow => ({
  sec,
  reflector,
  target,
  port,
  kind: ReflectionEvidenceKind.REPLY,
  packets: 1,
  bytes,
  maxBytes: bytes,
  sensorId: 1,
});

/** `n` answers one second apart from `reflectors` reflectors in turn. */
const burst = (n: number, reflectors: number, from = 0): ReflectionEvidenceRow[] =>
  Array.from({ length: n }, (_, k) => reply(from + k, R(k % reflectors)));

describe('reflectionEpisodes()', () => {
  it('reflectionEpisodes() needs minPackets answers from minReflectors reflectors', () => {
    const { minPackets, minReflectors } = DEFAULT_REFLECTION_SETTINGS;
    expect(reflectionEpisodes(burst(minPackets, minReflectors)).episodes).toHaveLength(1);
    expect(reflectionEpisodes(burst(minPackets - 1, minReflectors)).episodes).toHaveLength(0);
    expect(reflectionEpisodes(burst(minPackets, minReflectors - 1)).episodes).toHaveLength(0);
  });

  it('reflectionEpisodes() splits at a quiet time longer than gapSec', () => {
    const { gapSec } = DEFAULT_REFLECTION_SETTINGS;
    const atGap = [...burst(25, 3), ...burst(25, 3, 24 + gapSec)];
    expect(reflectionEpisodes(atGap).episodes.map((e) => e.packets)).toEqual([50]);
    const pastGap = [...burst(25, 3), ...burst(25, 3, 25 + gapSec)];
    expect(reflectionEpisodes(pastGap).episodes.map((e) => [e.start, e.packets])).toEqual([
      [0, 25],
      [25 + gapSec, 25],
    ]);
  });

  it('reflectionEpisodes() reads answers of one reflector to many addresses as a flood against it, unless a reflection claimed them', () => {
    const spread = Array.from({ length: 40 }, (_, k) => reply(k, R(9), SENSOR + (k % 4), 11211, 1400));
    const [flood] = reflectionEpisodes(spread).episodes;
    expect(flood).toMatchObject({
      kind: 'reflector-flood',
      target: '61.0.0.9',
      service: '11211/UDP',
      protocol: 'Memcached',
      sensorAddresses: 4,
      packets: 40,
    });
    expect(reflectionEpisodes(spread.filter((r) => r.target - SENSOR < 2)).episodes).toHaveLength(0);
    // The same reflector also answering within a reflection on SENSOR: those answers belong to the reflection only.
    const mixed = [...burst(30, 3).map((r) => ({ ...r, port: 11211 })), ...spread];
    expect(reflectionEpisodes(mixed).episodes.map((e) => [e.kind, e.packets])).toEqual([
      ['reflection', 40],
      ['reflector-flood', 30],
    ]);
  });

  it("reflectionEpisodes() adds fragments of the episode's reflectors to its bytes, not others'", () => {
    const frag = (sec: number, reflector: number, bytes: number): ReflectionEvidenceRow => ({
      sec,
      reflector,
      target: SENSOR,
      port: 0,
      kind: ReflectionEvidenceKind.FRAGMENT,
      packets: 1,
      bytes,
      maxBytes: bytes,
      sensorId: 1,
    });
    const [e] = reflectionEpisodes([...burst(25, 3), frag(3, R(1), 800), frag(4, R(7), 900)]).episodes;
    expect(e).toMatchObject({
      replies: 25,
      replyBytes: 25 * 500,
      fragmentBytes: 800,
      meanReplyBytes: 500,
      maxReplyBytes: 500,
    });
    expect(e!.topReflectors[0]).toEqual({ address: '61.0.0.0', packets: 9, bytes: 9 * 500 });
  });

  it('checkReflectionSettings() rejects a threshold that is not a whole number of at least 1', () => {
    expect(checkReflectionSettings({ minReflectors: 5 })).toEqual({ ...DEFAULT_REFLECTION_SETTINGS, minReflectors: 5 });
    expect(() => checkReflectionSettings({ gapSec: 0 })).toThrow(/gapSec: 0/);
    expect(() => checkReflectionSettings({ minPackets: 2.5 })).toThrow(RangeError);
  });
});
