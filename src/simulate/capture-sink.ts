/**
 * @module
 * `CaptureSink`: one sensor's capture file (pcap or pcapng, microsecond
 * timestamps), fed frames from the crafter's buffer. The writers copy what
 * they are given, so the sink hands them views over the crafter's buffer
 * prepared once per possible length: no allocation per packet.
 */

import { LinkType, type PacketToWrite, PcapngWriter, PcapWriter } from '../capture/index.js';

const MICROS = 1_000_000;
const NANOS_PER_MICRO = 1000;

export type CaptureFormat = 'pcap' | 'pcapng';

export class CaptureSink {
  readonly path: string;
  packets = 0;
  private readonly pcap: PcapWriter | null;
  private readonly pcapng: PcapngWriter | null;
  private readonly views: Uint8Array[];
  private readonly packet: PacketToWrite = { interfaceId: 0, tsSec: 0, tsNsec: 0, bytes: new Uint8Array(0) };

  constructor(
    path: string,
    options: { format: CaptureFormat; link: 'ethernet' | 'raw'; frames: Uint8Array; sensorName: string },
  ) {
    this.path = path;
    const linkType = options.link === 'ethernet' ? LinkType.EN10MB : LinkType.RAW;
    if (options.format === 'pcap') {
      this.pcap = new PcapWriter({ linkType, output: path });
      this.pcapng = null;
    } else {
      this.pcap = null;
      this.pcapng = new PcapngWriter({ output: path, userAppl: 'teiten simulate' });
      this.pcapng.addInterface({ linkType, name: options.sensorName });
    }
    this.views = Array.from({ length: options.frames.length + 1 }, (_, n) => options.frames.subarray(0, n));
  }

  /** Writes the first `length` bytes of the frame buffer with a timestamp in microseconds. */
  write(tsMicros: number, length: number): void {
    const packet = this.packet;
    const sec = Math.floor(tsMicros / MICROS);
    packet.tsSec = sec;
    packet.tsNsec = (tsMicros - sec * MICROS) * NANOS_PER_MICRO;
    packet.bytes = this.views[length]!;
    if (this.pcap !== null) this.pcap.writePacket(packet);
    else this.pcapng!.writePacket(packet);
    this.packets++;
  }

  get bytes(): number {
    return this.pcap !== null ? this.pcap.bytesWritten : this.pcapng!.bytesWritten;
  }

  close(): Promise<void> {
    return this.pcap !== null ? this.pcap.close() : this.pcapng!.close();
  }
}
