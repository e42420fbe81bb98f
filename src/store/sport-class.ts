/**
 * @module
 * Source port classes for the `traffic_hour.sport_class` column.
 *
 * Rule: a packet keeps its exact source service key (`53/UDP`, `6667/TCP`,
 * `8/ICMP`, `frag/UDP`) when its source port is below 1024 or it is not a
 * PROBE: responses (backscatter), ICMP errors and other packets keep their
 * real source port, because that port names the victim's service (a SYN/ACK
 * from 6667/TCP, a reply from a game port). A PROBE from an unprivileged TCP
 * or UDP port gets its protocol's EPHEMERAL marker instead: scanners pick
 * those ports at random, and keeping them would make a telescope's rollup
 * almost as large as its raw packets. Exact probe source ports stay available
 * in the raw `packets` table.
 *
 * The marker is a service key with port part 0x1ffff, a value no real key
 * has (ports stop at 0xffff, `NO_PORT` is 0x10000), so `key >>> 17` is still
 * the protocol.
 */

import { formatServiceKey, PacketClass, SERVICE_NONE, serviceKey, serviceProto } from '../classify/index.js';
import { IpProto } from '../decode/index.js';

/** Source ports below this are kept exactly even on probes. */
export const FIRST_EPHEMERAL_PORT = 1024;
/** Port part of the EPHEMERAL marker. */
export const EPHEMERAL_PART = 0x1ffff;
const PART_MASK = 0x1ffff;

/** The EPHEMERAL marker of protocol `proto` (TCP or UDP). */
export function ephemeralSportClass(proto: number): number {
  return serviceKey(proto, EPHEMERAL_PART);
}

/** Whether `sportClass` is an EPHEMERAL marker. */
export function isEphemeralSportClass(sportClass: number): boolean {
  return sportClass !== SERVICE_NONE && (sportClass & PART_MASK) === EPHEMERAL_PART;
}

/** The class of one packet from its source service key and packet class. */
export function sportClassOf(srcService: number, packetClass: number): number {
  if (packetClass !== PacketClass.PROBE || srcService === SERVICE_NONE) return srcService;
  const proto = serviceProto(srcService);
  if (proto !== IpProto.TCP && proto !== IpProto.UDP) return srcService;
  const port = srcService & PART_MASK;
  return port >= FIRST_EPHEMERAL_PORT ? ephemeralSportClass(proto) : srcService;
}

/** `eph/TCP` for a marker, otherwise `formatServiceKey` (`53/UDP`, `8/ICMP`, `''` for none). */
export function formatSportClass(sportClass: number): string {
  if (isEphemeralSportClass(sportClass)) {
    return `eph/${formatServiceKey(serviceKey(serviceProto(sportClass), 0)).split('/')[1]}`;
  }
  return formatServiceKey(sportClass);
}
