import { describe, expect, it } from 'vitest';
import type { Framer } from './framer.js';
import { PcapFramer } from './pcap.js';
import { PcapWriter } from './pcap-writer.js';
import { PcapngFramer } from './pcapng.js';
import { PcapngWriter } from './pcapng-writer.js';
import { LinkType, type RawRecord } from './record.js';

const COUNT = 300;

/** Packet `i`: its length and bytes both depend on `i`, so a stale or shifted view shows. */
function packetBytes(i: number): Uint8Array {
  return Uint8Array.from({ length: 20 + ((i * 37) % 150) }, (_, k) => (k * 13 + i * 7) & 0xff);
}

function pcapFile(): Uint8Array {
  const writer = new PcapWriter({ linkType: LinkType.RAW });
  for (let i = 0; i < COUNT; i++) writer.writePacket({ tsSec: i, tsNsec: 0, bytes: packetBytes(i) });
  return writer.toBuffer();
}

function pcapngFile(): Uint8Array {
  const writer = new PcapngWriter();
  writer.addInterface({ linkType: LinkType.RAW });
  for (let i = 0; i < COUNT; i++) writer.writePacket({ tsSec: i, tsNsec: 0, bytes: packetBytes(i) });
  return writer.toBuffer();
}

const FRAMERS: [string, () => Uint8Array, (sink: (r: RawRecord) => void) => Framer][] = [
  ['PcapFramer', pcapFile, (sink) => new PcapFramer(sink, { fileName: 'x.pcap' })],
  ['PcapngFramer', pcapngFile, (sink) => new PcapngFramer(sink, { fileName: 'x.pcapng' })],
];

describe('Framer', () => {
  it.each(FRAMERS)(
    '%s.feed() leaves the bytes of the records it delivered unchanged until the next feed()',
    (_, file, make) => {
      const bytes = file();
      // Chunk sizes that leave records straddling chunks, some across several.
      for (const chunkSize of [7, 61, 150, 1000]) {
        let views: { i: number; view: Uint8Array }[] = [];
        let next = 0;
        const framer = make((r) => {
          views.push({ i: next++, view: r.data.subarray(r.offset, r.offset + r.capLen) });
        });
        for (let pos = 0; pos < bytes.length; pos += chunkSize) {
          framer.feed(new Uint8Array(bytes.subarray(pos, pos + chunkSize)));
          for (const { i, view } of views) {
            expect(new Uint8Array(view), `packet ${i} after a feed() of ${chunkSize}-byte chunks`).toEqual(
              packetBytes(i),
            );
          }
          views = [];
        }
        framer.finish();
        expect(next).toBe(COUNT);
      }
    },
  );
});
