/**
 * @module
 * UDP services that answer a small spoofed query with a larger reply, so
 * attackers use their servers as reflectors (US-CERT TA14-017A and later
 * advisories). A darknet address spoofed as the victim receives those
 * replies from the service's port; an ICMP error quoting a query to such a
 * port, sent from the darknet address, is the same abuse seen from the
 * other side.
 */

/** Port → protocol name. */
export const REFLECTOR_UDP_PORTS: ReadonlyMap<number, string> = new Map([
  [17, 'QOTD'],
  [19, 'CharGEN'],
  [53, 'DNS'],
  [69, 'TFTP'],
  [111, 'Portmap'],
  [123, 'NTP'],
  [137, 'NetBIOS'],
  [161, 'SNMP'],
  [389, 'CLDAP'],
  [500, 'ISAKMP'],
  [520, 'RIP'],
  [623, 'IPMI'],
  [1434, 'MS-SQL'],
  [1900, 'SSDP'],
  [3283, 'ARD'],
  [3478, 'STUN'],
  [3702, 'WS-Discovery'],
  [4500, 'IKE NAT-T'],
  [5353, 'mDNS'],
  [5683, 'CoAP'],
  [10001, 'Ubiquiti'],
  [11211, 'Memcached'],
  [37810, 'DVR DHCPDiscover'],
]);

const PORTS = 0x10000;
const REFLECTOR_TABLE = new Uint8Array(PORTS);
for (const port of REFLECTOR_UDP_PORTS.keys()) REFLECTOR_TABLE[port] = 1;

/** Whether `port` is a well-known UDP reflector port. */
export function isReflectorPort(port: number): boolean {
  return REFLECTOR_TABLE[port & (PORTS - 1)] === 1;
}
