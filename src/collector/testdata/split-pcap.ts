/**
 * @module
 * Cuts a classic pcap into consecutive segments at record boundaries, each
 * with the file's own global header, as a `tcpdump -w` agent would: the
 * group-commit tests' uploads. Parsed here from the format's definition
 * (24-byte header, 16-byte record headers), not with teiten's reader.
 */

import { readFile } from 'node:fs/promises';

const HEADER = 24;
const RECORD_HEADER = 16;
const INCL_LEN_AT = 8;

/** The file's records split into `parts` segments of about equal record counts. */
export async function splitPcap(file: string, parts: number): Promise<Buffer[]> {
  const bytes = await readFile(file);
  const magic = bytes.readUInt32LE(0);
  const littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!littleEndian && bytes.readUInt32BE(0) !== 0xa1b2c3d4 && bytes.readUInt32BE(0) !== 0xa1b23c4d) throw new Error(`${file} is not a classic pcap`);
  const starts: number[] = [];
  for (let at = HEADER; at < bytes.length;) {
    starts.push(at);
    const incl = littleEndian ? bytes.readUInt32LE(at + INCL_LEN_AT) : bytes.readUInt32BE(at + INCL_LEN_AT);
    at += RECORD_HEADER + incl;
  }
  starts.push(bytes.length);
  const records = starts.length - 1;
  const out: Buffer[] = [];
  for (let k = 0; k < parts; k++) {
    const from = starts[Math.floor((k * records) / parts)]!;
    const to = starts[Math.floor(((k + 1) * records) / parts)]!;
    out.push(Buffer.concat([bytes.subarray(0, HEADER), bytes.subarray(from, to)]));
  }
  return out;
}
