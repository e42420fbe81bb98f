/**
 * Throughput of the craft writers on the simulator's hot cases, run with
 * `npx vitest bench src/simulate/craft`. Each iteration writes one frame into
 * a reused buffer, varying the fields the simulator varies per packet.
 */

import { bench, describe } from 'vitest';
import { TcpFlag } from '../../decode/index.js';
import { CraftBuffer } from './craft-buffer.js';
import { ipv4TcpFields, ipv4UdpFields, writeIpv4Tcp, writeIpv4Udp } from './fast.js';
import { buildLinkHeader } from './link.js';
import { writePacket } from './packet.js';
import type { IcmpSpec, Ipv4Spec, PacketSpec, TcpSpec } from './spec.js';
import { linuxSynOptions } from './tcp-options.js';

const SLOTS = 1024;
const SLOT_BYTES = 256;
const buf = new CraftBuffer(new Uint8Array(SLOTS * SLOT_BYTES));
const ethernet = buildLinkHeader({ kind: 'ethernet' }, 4);
let i = 0;
/** Next pseudo-random source address and buffer slot; cheap so it does not dominate. */
const step = (): number => {
  i = (i + 1) | 0;
  buf.offset = (i & (SLOTS - 1)) * SLOT_BYTES;
  return Math.imul(i, 0x9e3779b1) >>> 0;
};

describe('craft throughput', () => {
  const syn = ipv4TcpFields({ linkHeader: ethernet, dst: 0xc6336401, dstPort: 23, flags: TcpFlag.SYN });
  bench('writeIpv4Tcp() SYN over Ethernet', () => {
    syn.src = step();
    syn.srcPort = i & 0xffff;
    writeIpv4Tcp(buf, syn);
  });

  const synOptions = ipv4TcpFields({
    linkHeader: ethernet,
    dstPort: 22,
    flags: TcpFlag.SYN,
    options: linuxSynOptions(),
  });
  bench('writeIpv4Tcp() SYN with Linux options', () => {
    synOptions.src = step();
    writeIpv4Tcp(buf, synOptions);
  });

  const udp = ipv4UdpFields({ linkHeader: ethernet, dstPort: 53, payload: new Uint8Array(64) });
  bench('writeIpv4Udp() 64-byte payload', () => {
    udp.src = step();
    writeIpv4Udp(buf, udp);
  });

  const ip: Ipv4Spec = { version: 4, src: 0, dst: 0xc6336401 };
  const tcp: TcpSpec = { kind: 'tcp', srcPort: 0, dstPort: 23, flags: TcpFlag.SYN };
  const spec: PacketSpec = { link: { kind: 'ethernet' }, ip, l4: tcp };
  bench('writePacket() IPv4 SYN spec', () => {
    ip.src = step();
    tcp.srcPort = i & 0xffff;
    writePacket(buf, spec);
  });

  const quoted: Ipv4Spec = { version: 4, src: 0xc6336401, dst: 0 };
  const icmp: IcmpSpec = {
    kind: 'icmp',
    type: 3,
    code: 3,
    quote: { ip: quoted, l4: { kind: 'udp', srcPort: 5353, dstPort: 161 }, payload: new Uint8Array(40) },
  };
  const error: PacketSpec = { link: { kind: 'ethernet' }, ip: { version: 4, src: 0xc6336401, dst: 0 }, l4: icmp };
  bench('writePacket() ICMP port unreachable quoting UDP', () => {
    quoted.dst = step();
    writePacket(buf, error);
  });
});
