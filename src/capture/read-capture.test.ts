import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkedStream, collectRecords } from './collect-records.js';
import { CaptureErrorCode, CaptureFormatError, CaptureSourceError } from './errors.js';
import { PcapWriter } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { readCapture, type CaptureProgress } from './read-capture.js';
import { haveCommand } from '../util/have-command.js';

const haveTcpdump = haveCommand('tcpdump');
if (!haveTcpdump) console.log('read-capture.test: tcpdump test skipped, tcpdump is not installed');

const dir = mkdtempSync(join(tmpdir(), 'teiten-read-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pcap(count: number): Buffer {
  const w = new PcapWriter({ linkType: 1, nanosecond: true });
  for (let i = 0; i < count; i++) {
    w.writePacket({ tsSec: 1_700_000_000 + i, tsNsec: i, bytes: new Uint8Array(20 + (i % 50)).fill(i & 0xff) });
  }
  return w.toBuffer();
}

function pcapng(count: number): Buffer {
  const w = new PcapngWriter({ byteOrder: 'be' });
  w.addInterface({ linkType: 101, tsResolution: { base: 10, exponent: 9 } });
  for (let i = 0; i < count; i++) {
    w.writePacket({ tsSec: 1_700_000_000, tsNsec: i * 1000, bytes: new Uint8Array(30 + (i % 7)).fill(i & 0xff) });
  }
  return w.toBuffer();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('readCapture()', () => {
  it('readCapture() reads gzip by its magic bytes, whatever the name', async () => {
    const plain = await collectRecords(pcapng(300));
    const path = join(dir, 'capture.pcapng'); // gzip content under a plain name
    const gz = gzipSync(pcapng(300));
    writeFileSync(path, gz);
    const progress: CaptureProgress[] = [];
    const records: number[] = [];
    const summary = await readCapture(path, {
      onRecord: (r) => {
        records.push(r.fileOffset);
      },
      onChunk: (p) => {
        progress.push({ ...p });
      },
    });
    expect(summary).toMatchObject({ format: 'pcapng', compressed: true, records: 300, sourceBytes: gz.length });
    expect(records).toEqual(plain.records.map((r) => r.fileOffset));
    expect(progress.at(-1)).toEqual({ sourceBytes: gz.length, totalBytes: gz.length });
  });

  it('readCapture() frames gzip delivered in 1-byte and odd-sized chunks', async () => {
    const bytes = pcap(200);
    const expected = (await collectRecords(bytes)).records;
    const gz = gzipSync(bytes);
    for (const chunkSizes of [1, [3, 11, 7]]) {
      const { records, summary } = await collectRecords(gz, { chunkSizes });
      expect(summary.compressed).toBe(true);
      expect(records).toEqual(expected);
    }
  });

  it('readCapture() frames plain pcap delivered in 1-byte and odd-sized chunks', async () => {
    const bytes = pcap(100);
    const expected = (await collectRecords(bytes)).records;
    for (const chunkSizes of [1, 2, 15, 16, 17, [100, 1, 33]]) {
      expect((await collectRecords(bytes, { chunkSizes })).records).toEqual(expected);
    }
  });

  it('readCapture() stops when the sink returns false and destroys the source', async () => {
    for (const bytes of [pcap(500), gzipSync(pcapng(500))]) {
      const stream = chunkedStream(bytes, 1000);
      let seen = 0;
      const summary = await readCapture(stream, { onRecord: () => ++seen < 5 });
      expect(seen).toBe(5);
      expect(summary).toMatchObject({ records: 5, stoppedEarly: true });
      expect(stream.destroyed).toBe(true);
    }
    const { summary } = await collectRecords(pcap(3));
    expect(summary.stoppedEarly).toBe(false);
  });

  it('readCapture() awaits onChunk before framing the next chunk', async () => {
    const bytes = pcap(400);
    let pending = false;
    let chunks = 0;
    let violations = 0;
    await readCapture(chunkedStream(bytes, 3000), {
      onRecord: () => {
        if (pending) violations++;
      },
      onChunk: async () => {
        chunks++;
        pending = true;
        await sleep(2);
        pending = false;
      },
    });
    expect(chunks).toBe(Math.ceil(bytes.length / 3000));
    expect(violations).toBe(0);
  });

  it("readCapture() keeps the bytes of each chunk's records until onChunk, through files larger than its buffers", async () => {
    // Lengths and contents that depend on the packet, about 2.6 MiB in all.
    const packetBytes = (i: number): Uint8Array =>
      Uint8Array.from({ length: 40 + ((i * 53) % 1400) }, (_, k) => (k * 31 + i) & 0xff);
    const count = 3700;
    const w = new PcapWriter({ linkType: 101 });
    for (let i = 0; i < count; i++) w.writePacket({ tsSec: i, tsNsec: 0, bytes: packetBytes(i) });
    const bytes = w.toBuffer();
    expect(bytes.length).toBeGreaterThan(2 << 20);
    const plainPath = join(dir, 'large.pcap');
    const gzPath = join(dir, 'large.pcap.gz');
    writeFileSync(plainPath, bytes);
    writeFileSync(gzPath, gzipSync(bytes));
    for (const path of [plainPath, gzPath]) {
      let views: { i: number; view: Uint8Array }[] = [];
      let seen = 0;
      let stale = 0;
      const check = (): void => {
        for (const { i, view } of views) if (Buffer.compare(view, packetBytes(i)) !== 0) stale++;
        views = [];
      };
      const summary = await readCapture(path, {
        onRecord: (r) => {
          views.push({ i: seen++, view: r.data.subarray(r.offset, r.offset + r.capLen) });
        },
        onChunk: check,
      });
      check();
      expect(summary.records).toBe(count);
      expect(seen).toBe(count);
      expect(stale, `records of ${path} whose bytes changed before onChunk`).toBe(0);
    }
  });

  it.skipIf(!haveTcpdump)('readCapture() reads a stream from tcpdump -w -', async () => {
    const path = join(dir, 'for-tcpdump.pcap');
    writeFileSync(path, pcap(1000));
    const child = spawn('tcpdump', ['-r', path, '-w', '-'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const { records, summary } = await collectRecords(child.stdout, { name: 'tcpdump' });
    expect(summary).toMatchObject({ name: 'tcpdump', format: 'pcap', records: 1000 });
    expect(records[999]).toMatchObject({ tsSec: 1_700_000_999, capLen: 20 + (999 % 50) });
  });
});

describe('readCapture() on bad input', () => {
  it('readCapture() rejects an empty file and a 3-byte file clearly', async () => {
    const path = join(dir, 'empty.pcap');
    writeFileSync(path, '');
    const empty = await rejection(readCapture(path, { onRecord: () => undefined }));
    expect(empty).toBeInstanceOf(CaptureFormatError);
    expect(empty).toMatchObject({ code: CaptureErrorCode.EMPTY, fileName: path });
    expect((empty as Error).message).toBe(`Cannot read capture ${path} at byte 0: the file is empty`);
    const tiny = await rejection(collectRecords(Uint8Array.of(0xd4, 0xc3, 0xb2), { name: 'tiny.pcap' }));
    expect((tiny as Error).message).toBe('Cannot read capture tiny.pcap at byte 0: file header truncated (3 bytes)');
    const emptyGz = await rejection(collectRecords(gzipSync(Buffer.alloc(0))));
    expect(emptyGz).toMatchObject({ code: CaptureErrorCode.EMPTY });
  });

  it('readCapture() rejects an unknown magic number', async () => {
    const error = await rejection(collectRecords(Buffer.from('12345678deadbeef', 'hex'), { name: 'x.bin' }));
    expect(error).toMatchObject({ code: CaptureErrorCode.BAD_MAGIC, offset: 0 });
    expect((error as Error).message).toBe(
      'Cannot read capture x.bin at byte 0: unknown magic bytes 12 34 56 78: neither pcap nor pcapng',
    );
  });

  it('readCapture() rejects corrupt gzip naming the file', async () => {
    const gz = gzipSync(pcap(2000));
    for (let i = 20; i < 60; i++) gz[i] = gz[i]! ^ 0x5a;
    const error = await rejection(collectRecords(gz, { name: 'bad.pcap.gz', chunkSizes: 4096 }));
    expect(error).toBeInstanceOf(CaptureFormatError);
    expect(error).toMatchObject({ code: CaptureErrorCode.BAD_GZIP, fileName: 'bad.pcap.gz', offset: undefined });
    expect((error as Error).message).toMatch(
      /^Cannot read capture bad\.pcap\.gz: the gzip stream is corrupt or cut off/,
    );
  });

  it('readCapture() delivers the records before a gzip cut, then rejects', async () => {
    const bytes = pcap(3000);
    const expected = (await collectRecords(bytes)).records;
    const gz = gzipSync(bytes);
    const path = join(dir, 'cut.pcap.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
    let delivered = 0;
    let prefixOk = true;
    const error = await rejection(
      readCapture(path, {
        onRecord: (r) => {
          prefixOk &&= r.fileOffset === expected[delivered]?.fileOffset;
          delivered++;
        },
      }),
    );
    expect(error).toMatchObject({ code: CaptureErrorCode.BAD_GZIP, fileName: path });
    expect(delivered).toBeGreaterThan(100);
    expect(delivered).toBeLessThan(3000);
    expect(prefixOk).toBe(true);
  });

  it('readCapture() rejects a missing file with a source error', async () => {
    const path = join(dir, 'missing.pcap');
    const error = await rejection(readCapture(path, { onRecord: () => undefined }));
    expect(error).toBeInstanceOf(CaptureSourceError);
    expect(error).toMatchObject({ code: 'TEITEN_CAPTURE_SOURCE', fileName: path });
    expect((error as Error).message).toMatch(/^Cannot read capture .*missing\.pcap: no such file \(ENOENT\)$/);
  });

  it('readCapture() rejects a stream that yields strings', async () => {
    const stream = Readable.from(['not bytes']);
    await expect(readCapture(stream, { onRecord: () => undefined })).rejects.toThrow(TypeError);
  });

  it('readCapture() passes a sink error through and destroys the source', async () => {
    const stream = chunkedStream(pcap(100), 500);
    const boom = new RangeError('sink failed');
    const error = await rejection(
      readCapture(stream, {
        onRecord: () => {
          throw boom;
        },
      }),
    );
    expect(error).toBe(boom);
    expect(stream.destroyed).toBe(true);
  });
});
