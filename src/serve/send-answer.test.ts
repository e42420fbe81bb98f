import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, finishAnswer } from './send-answer.js';

describe('send-answer', () => {
  it('acceptsGzip() reads Accept-Encoding lists with qualities', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0.8')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('x-gzip2')).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });

  it('finishAnswer() gzips a large body once, to the same text, and leaves a small one alone', async () => {
    const large = JSON.stringify({ rows: Array.from({ length: 500 }, (_, i) => ({ key: `${i}/TCP`, packets: i })) });
    const done = await finishAnswer('application/json', large);
    expect(gunzipSync(done.gzip!).toString('utf8')).toBe(large);
    expect(done.gzip!.byteLength).toBeLessThan(large.length / 4);
    expect((await finishAnswer('text/plain', 'short')).gzip).toBeNull();
  });
});
