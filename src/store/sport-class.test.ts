import { describe, expect, test } from 'vitest';
import { PacketClass } from '../classify/packet-class.js';
import { NO_PORT, serviceKey, serviceProto, SERVICE_NONE } from '../classify/service-key.js';
import { IpProto } from '../decode/batch.js';
import { ephemeralSportClass, formatSportClass, isEphemeralSportClass, sportClassOf } from './sport-class.js';

const tcp = (port: number): number => serviceKey(IpProto.TCP, port);
const udp = (port: number): number => serviceKey(IpProto.UDP, port);

describe('sportClassOf()', () => {
  test('sportClassOf() folds unprivileged source ports of probes into EPHEMERAL', () => {
    expect(sportClassOf(tcp(40000), PacketClass.PROBE)).toBe(ephemeralSportClass(IpProto.TCP));
    expect(sportClassOf(udp(1024), PacketClass.PROBE)).toBe(ephemeralSportClass(IpProto.UDP));
  });

  test('sportClassOf() keeps ports below 1024 and every non-probe port exactly', () => {
    expect(sportClassOf(tcp(1023), PacketClass.PROBE)).toBe(tcp(1023));
    expect(sportClassOf(tcp(6667), PacketClass.RESPONSE)).toBe(tcp(6667));
    expect(sportClassOf(udp(27015), PacketClass.OTHER)).toBe(udp(27015));
    expect(sportClassOf(serviceKey(IpProto.ICMP, 8), PacketClass.PROBE)).toBe(serviceKey(IpProto.ICMP, 8));
    expect(sportClassOf(serviceKey(IpProto.UDP, NO_PORT), PacketClass.OTHER)).toBe(serviceKey(IpProto.UDP, NO_PORT));
    expect(sportClassOf(SERVICE_NONE, PacketClass.NONE)).toBe(SERVICE_NONE);
  });

  test('ephemeralSportClass() keeps the protocol and collides with no service key', () => {
    const marker = ephemeralSportClass(IpProto.TCP);
    expect(serviceProto(marker)).toBe(IpProto.TCP);
    expect(isEphemeralSportClass(marker)).toBe(true);
    expect(isEphemeralSportClass(tcp(65535))).toBe(false);
    expect(isEphemeralSportClass(serviceKey(IpProto.TCP, NO_PORT))).toBe(false);
    expect(formatSportClass(marker)).toBe('eph/TCP');
    expect(formatSportClass(udp(53))).toBe('53/UDP');
  });
});
