/**
 * @module
 * `formatVictimService()`: the text of a backscatter victim service as the
 * detection tables store it (`proto × 2^17 + port`, the port part 0x10000
 * when the attack protocol has no ports): `6667/TCP`, `27015/UDP`, or the
 * protocol alone, `ICMP`, as the detect stage's attack records write it.
 */

import { formatServiceKey, servicePort, serviceProto } from '../classify/index.js';

/** Protocols a service key gives a port to, by number. */
const PORTED_PROTOCOLS: ReadonlyMap<number, string> = new Map([
  [1, 'ICMP'],
  [6, 'TCP'],
  [17, 'UDP'],
  [58, 'ICMPv6'],
]);

export function formatVictimService(key: number): string {
  if (servicePort(key) >= 0) return formatServiceKey(key);
  return PORTED_PROTOCOLS.get(serviceProto(key)) ?? formatServiceKey(key);
}
