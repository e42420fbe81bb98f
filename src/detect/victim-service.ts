/**
 * @module
 * How a DoS victim's service is named: `80/TCP`, or the protocol alone
 * (`ICMP`) when the attack protocol has no ports.
 */

import { IP_PROTO_NAMES } from '../classify/index.js';

/** Port key for an attack protocol without ports (ICMP): above every real port. */
export const NO_VICTIM_PORT = 0x10000;

const PORT_PROTO_NAMES: ReadonlyMap<number, string> = new Map([
  [6, 'TCP'],
  [17, 'UDP'],
  [1, 'ICMP'],
  [58, 'ICMPv6'],
]);

/** Name of an IP protocol as the reports write it: `TCP`, `ICMP`, `GRE`, `IP-253`. */
export function protocolName(proto: number): string {
  return PORT_PROTO_NAMES.get(proto) ?? IP_PROTO_NAMES.get(proto) ?? `IP-${proto}`;
}

/** A victim's service: `80/TCP`, or the protocol alone (`ICMP`) for `NO_VICTIM_PORT`. */
export function victimService(proto: number, portKey: number): string {
  return portKey === NO_VICTIM_PORT ? protocolName(proto) : `${portKey}/${protocolName(proto)}`;
}
