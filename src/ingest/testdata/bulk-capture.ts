/**
 * @module
 * Large test captures made fast: a few hundred crafted frames (TCP SYNs
 * from many sources to the test sensor's /24) written over and over with
 * increasing timestamps, so every packet has its own identity. The same
 * packets come as classic pcap or as pcapng (a re-framed copy: other bytes,
 * other SHA-256, the same packets), for the duplicate and concurrency tests.
 */

import { LinkType, PcapngWriter, PcapWriter } from '../../capture/index.js';
import { TcpFlag } from '../../decode/batch.js';
import { buildPacket } from '../../simulate/craft/index.js';

const TEMPLATES = 512;
const PORTS = [445, 23, 80, 22, 3389, 1433, 8080, 135] as const;
const FIRST_SOURCE_PORT = 40_000;
const NS_PER_US = 1000;
const US_PER_SECOND = 1_000_000;
const SOURCE_BLOCK = 256;

export interface BulkCaptureOptions {
  packets: number;
  /** Epoch second of the first packet. */
  startSec: number;
  /** Packets per second of capture time (sets how many minutes it spans). */
  perSecond: number;
  /** Microseconds into `startSec` of the first packet; packets then follow every 10⁶ / `perSecond` µs. */
  startUsec?: number;
  format: 'pcap' | 'pcapng';
}

let templates: Uint8Array[] | undefined;

function frames(): Uint8Array[] {
  templates ??= Array.from({ length: TEMPLATES }, (_, i) => buildPacket({
    link: { kind: 'ethernet' },
    ip: { version: 4, src: `1.0.${16 + Math.floor(i / SOURCE_BLOCK)}.${i % SOURCE_BLOCK}`, dst: `192.0.2.${1 + (i % 250)}` },
    l4: { kind: 'tcp', srcPort: FIRST_SOURCE_PORT + i, dstPort: PORTS[i % PORTS.length]!, flags: TcpFlag.SYN },
  }));
  return templates;
}

/** `packets` SYNs to 192.0.2.0/24, `perSecond` per second from `startSec`, microsecond timestamps. */
export function bulkCapture(options: BulkCaptureOptions): Buffer {
  const { packets, startSec, perSecond } = options;
  const step = Math.floor(US_PER_SECOND / perSecond);
  const all = frames();
  const pcapng = options.format === 'pcapng' ? new PcapngWriter() : undefined;
  const iface = pcapng?.addInterface({ linkType: LinkType.EN10MB, tsResolution: { base: 10, exponent: 9 } }) ?? 0;
  const pcap = pcapng === undefined ? new PcapWriter({ linkType: LinkType.EN10MB, nanosecond: false }) : undefined;
  for (let k = 0; k < packets; k++) {
    const offsetUs = options.startUsec === undefined ? undefined : options.startUsec + k * step;
    const tsSec = offsetUs === undefined ? startSec + Math.floor(k / perSecond) : startSec + Math.floor(offsetUs / US_PER_SECOND);
    const tsNsec =
      offsetUs === undefined ? (k % perSecond) * step * NS_PER_US : (offsetUs % US_PER_SECOND) * NS_PER_US;
    const bytes = all[k % TEMPLATES]!;
    if (pcap !== undefined) pcap.writePacket({ tsSec, tsNsec, bytes });
    else pcapng!.writePacket({ interfaceId: iface, tsSec, tsNsec, bytes });
  }
  return pcap?.toBuffer() ?? pcapng!.toBuffer();
}
