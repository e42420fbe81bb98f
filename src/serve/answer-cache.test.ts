import { describe, expect, it } from 'vitest';
import { answerCache, SlowAnswerError, type CachedAnswer } from './answer-cache.js';

const answer = (body: string): CachedAnswer => ({ type: 'text/plain', body, gzip: null });

describe('answerCache()', () => {
  it('answerCache() computes once for concurrent requests and again after the TTL', async () => {
    let now = 0;
    let computed = 0;
    const cache = answerCache({ ttlMs: 1000 }, () => now);
    const compute = async (): Promise<CachedAnswer> => answer(`v${++computed}`);
    const [a, b, c] = await Promise.all([cache.get('/x', compute), cache.get('/x', compute), cache.get('/x', compute)]);
    expect([a.body, b.body, c.body, computed]).toEqual(['v1', 'v1', 'v1', 1]);
    now = 999;
    expect((await cache.get('/x', compute)).body).toBe('v1');
    now = 1000;
    expect((await cache.get('/x', compute)).body).toBe('v2');
    expect((await cache.get('/y', compute)).body).toBe('v3');
  });

  it('answerCache() keeps no failure', async () => {
    const cache = answerCache();
    await expect(
      cache.get('/bad', async () => {
        throw new RangeError('no');
      }),
    ).rejects.toThrow('no');
    expect((await cache.get('/bad', async () => answer('ok'))).body).toBe('ok');
  });

  it('answerCache() stays within its entry and size bounds, dropping the oldest first', async () => {
    const cache = answerCache({ maxEntries: 2, maxChars: 10 });
    const computed: string[] = [];
    const get = (key: string, body: string): Promise<CachedAnswer> =>
      cache.get(key, async () => {
        computed.push(key);
        return answer(body);
      });
    await get('/a', 'aaaa');
    await get('/b', 'bbbb');
    await get('/a', 'aaaa');
    // A third entry: the oldest ('/a') goes.
    await get('/c', 'cc');
    await get('/b', 'bbbb');
    await get('/a', 'aaaa');
    expect(computed).toEqual(['/a', '/b', '/c', '/a']);
    // 8 more characters: '/c' and then '/a' go until 10 are not passed.
    await get('/d', 'dddddddd');
    await get('/d', 'dddddddd');
    await get('/a', 'aaaa');
    expect(computed).toEqual(['/a', '/b', '/c', '/a', '/d', '/a']);
    // Larger than the whole cache: answered, never kept.
    await get('/huge', '01234567890');
    await get('/huge', '01234567890');
    expect(computed.filter((k) => k === '/huge')).toHaveLength(2);
  });

  it('answerCache() with a store version keeps an answer while the version is unchanged, up to its longest age', async () => {
    let now = 0;
    let version = 'a';
    let computed = 0;
    const cache = answerCache({ ttlMs: 1000, maxAgeMs: 10_000, version: async () => version }, () => now);
    const compute = async (): Promise<CachedAnswer> => answer(`v${++computed}`);
    expect((await cache.get('/x', compute)).body).toBe('v1');
    now = 5000;
    expect((await cache.get('/x', compute)).body).toBe('v1');
    version = 'b';
    expect((await cache.get('/x', compute)).body).toBe('v2');
    now = 15_000;
    expect((await cache.get('/x', compute)).body).toBe('v3');
    // A per-key keep time counts in time, whatever the version.
    expect((await cache.get('/live', compute, 500)).body).toBe('v4');
    now = 15_400;
    expect((await cache.get('/live', compute, 500)).body).toBe('v4');
    now = 15_500;
    expect((await cache.get('/live', compute, 500)).body).toBe('v5');
    cache.clear();
    expect((await cache.get('/x', compute)).body).toBe('v6');
  });
});

describe('answerCache() wait', () => {
  it('refuses a request whose answer is not ready within waitMs, keeps computing, and serves the kept answer next', async () => {
    let computed = 0;
    const cache = answerCache({ waitMs: 30 });
    const slow = (): Promise<CachedAnswer> =>
      new Promise((resolve) => {
        computed++;
        setTimeout(() => resolve({ type: 'text/plain', body: 'late', gzip: null }), 120);
      });
    await expect(cache.get('k', slow)).rejects.toMatchObject({ code: 'TEITEN_SERVE_SLOW', statusCode: 503 });
    await expect(cache.get('k', slow)).rejects.toBeInstanceOf(SlowAnswerError);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await cache.get('k', slow)).body).toBe('late');
    expect(computed).toBe(1);
  });

  it('a computation that fails after its waiters gave up leaves no unhandled rejection, and is computed again', async () => {
    const cache = answerCache({ waitMs: 10 });
    const failing = (): Promise<CachedAnswer> =>
      new Promise((_, reject) => setTimeout(() => reject(new Error('store gone')), 40));
    await expect(cache.get('k', failing)).rejects.toBeInstanceOf(SlowAnswerError);
    await new Promise((resolve) => setTimeout(resolve, 60));
    const ok = await cache.get('k', async () => ({ type: 'text/plain', body: 'again', gzip: null }));
    expect(ok.body).toBe('again');
  });
});
