import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkedOutput, WRITE_CHUNK_BYTES } from './chunked-output.js';
import { PcapWriter } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'teiten-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A slow sink: each write completes on a later turn, so its buffer really fills. */
class SlowSink extends Writable {
  readonly chunks: Buffer[] = [];
  writes = 0;
  constructor() {
    super({ highWaterMark: 64 * 1024 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    this.writes++;
    setImmediate(done);
  }
}

/** Enough packets for several 1 MiB flushes. */
const PACKETS = 30_000;
function packet(i: number): { tsSec: number; tsNsec: number; bytes: Uint8Array } {
  return { tsSec: 1_700_000_000 + (i >> 10), tsNsec: i * 997, bytes: new Uint8Array(60 + (i % 40)).fill(i & 0xff) };
}

describe('ChunkedOutput', () => {
  it('ChunkedOutput writes a file path in 1 MiB chunks identical to the memory output', async () => {
    const path = join(dir, 'big.pcap');
    const memory = new PcapWriter({ linkType: 1 });
    const file = new PcapWriter({ linkType: 1, output: path });
    for (let i = 0; i < PACKETS; i++) {
      memory.writePacket(packet(i));
      expect(file.writePacket(packet(i))).toBe(true);
    }
    expect(file.bytesWritten).toBe(memory.bytesWritten);
    expect(file.bytesWritten).toBeGreaterThan(2 * WRITE_CHUNK_BYTES);
    await file.close();
    expect(readFileSync(path).equals(memory.toBuffer())).toBe(true);
    expect(() => file.toBuffer()).toThrow(TypeError);
  });

  it('ChunkedOutput reports backpressure from a stream and resumes after drained()', async () => {
    const sink = new SlowSink();
    const writer = new PcapngWriter({ output: sink });
    writer.addInterface({ linkType: 1, tsResolution: { base: 10, exponent: 9 } });
    const memory = new PcapngWriter();
    memory.addInterface({ linkType: 1, tsResolution: { base: 10, exponent: 9 } });
    let waits = 0;
    for (let i = 0; i < PACKETS; i++) {
      memory.writePacket(packet(i));
      if (!writer.writePacket(packet(i))) {
        waits++;
        await writer.drained();
        expect(sink.writableNeedDrain).toBe(false);
      }
    }
    await writer.close();
    expect(waits).toBeGreaterThan(0);
    expect(sink.writes).toBe(Math.ceil(memory.bytesWritten / WRITE_CHUNK_BYTES));
    expect(Buffer.concat(sink.chunks).equals(memory.toBuffer())).toBe(true);
    expect(sink.writableFinished).toBe(true);
  });

  it('ChunkedOutput grows for a record larger than its chunk and refuses writes after close()', async () => {
    const out = new ChunkedOutput(undefined);
    out.reserve(10);
    const at = out.reserve(3 * WRITE_CHUNK_BYTES);
    out.buf[at + 3 * WRITE_CHUNK_BYTES - 1] = 7;
    expect(out.bytesWritten).toBe(10 + 3 * WRITE_CHUNK_BYTES);
    const all = out.toBuffer();
    expect(all.length).toBe(10 + 3 * WRITE_CHUNK_BYTES);
    expect(all.at(-1)).toBe(7);
    await out.close();
    await out.close();
    expect(() => out.reserve(1)).toThrow(/closed/);
  });
});
