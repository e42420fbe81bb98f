import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openHashedInput } from './hashed-input.js';
import { tempDir, writeTemp } from '../ingest/testdata/captures.js';

async function drain(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('openHashedInput()', () => {
  it('openHashedInput() passes a file through unchanged and hashes exactly its bytes', async () => {
    // Three read chunks and a bit: the hash must cover every chunk once, in order.
    const bytes = randomBytes(3 * (1 << 20) + 12_345);
    const input = await openHashedInput(writeTemp(tempDir(), 'blob.bin', bytes));
    expect(input.totalBytes).toBe(bytes.length);
    expect(() => input.digest()).toThrow(/only \d+ bytes were read/);
    expect((await drain(input.stream)).equals(bytes)).toBe(true);
    expect(input.ended).toBe(true);
    expect(input.bytesRead).toBe(bytes.length);
    expect(input.digest()).toBe(sha256(bytes));
  });

  it('openHashedInput() hashes a stream chunk by chunk', async () => {
    const parts = [randomBytes(10), randomBytes(70_000), randomBytes(1)];
    const input = await openHashedInput(Readable.from(parts), { name: 'piped' });
    expect(input.name).toBe('piped');
    expect(input.totalBytes).toBeUndefined();
    await drain(input.stream);
    expect(input.digest()).toBe(sha256(Buffer.concat(parts)));
  });

  it('openHashedInput() names a missing file', async () => {
    await expect(openHashedInput('/nonexistent/x.pcap')).rejects.toMatchObject({
      code: 'TEITEN_CAPTURE_SOURCE',
      fileName: '/nonexistent/x.pcap',
    });
  });
});
