/**
 * @module
 * Several uploaded segments as one capture for one engine ingest (group
 * commit, `group-intake.ts`). Segments a `tcpdump -w` agent cuts are classic
 * pcap files whose 24-byte global headers are identical (same byte order,
 * precision, snap length and link type); their records concatenated behind
 * one such header form a valid pcap, so the engine reads the group without
 * knowing it is one. Anything else (gzip, pcapng, another header) is
 * ingested alone.
 */

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

export const PCAP_HEADER_BYTES = 24;
const PCAP_MAGICS = new Set(['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1']);
const READ_CHUNK_BYTES = 1 << 20;

/** The file's pcap global header as hex, or undefined when it is not an uncompressed classic pcap. */
export async function pcapHeaderOf(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(PCAP_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, PCAP_HEADER_BYTES, 0);
    if (bytesRead < PCAP_HEADER_BYTES) return undefined;
    const hex = header.toString('hex');
    return PCAP_MAGICS.has(hex.slice(0, 8)) ? hex : undefined;
  } finally {
    await handle.close();
  }
}

/** The files (pcap with one common header, see `pcapHeaderOf`) as one pcap byte stream: the first whole, the others without their header. */
export function concatenatedPcap(files: readonly string[]): Readable {
  async function* bytes(): AsyncGenerator<Buffer> {
    for (const [i, file] of files.entries()) {
      for await (const chunk of createReadStream(file, {
        start: i === 0 ? 0 : PCAP_HEADER_BYTES,
        highWaterMark: READ_CHUNK_BYTES,
      })) {
        yield chunk as Buffer;
      }
    }
  }
  return Readable.from(bytes(), { objectMode: false });
}
