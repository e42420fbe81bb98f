/**
 * @module
 * Writes the darknet benchmark capture to stdout, so the memory benchmark can
 * pipe a multi-GB capture into teiten without storing it on disk.
 * Usage: darknet-stream PACKETS
 */
import { writeDarknetCapture } from './darknet-pcap.js';

const packets = Number(process.argv[2]);
if (!Number.isSafeInteger(packets) || packets < 1) throw new Error('usage: darknet-stream PACKETS');
const planted = await writeDarknetCapture(process.stdout, packets);
process.stderr.write(`${JSON.stringify(planted)}\n`);
