import { describe, expect, it } from 'vitest';
import { openStore } from '../store/index.js';
import { rateLimiter } from './rate-limit.js';
import { buildServer } from './server.js';

describe('buildServer() under load', () => {
  it('buildServer() refuses a computation past its queue with 503 and Retry-After, and computes it later', async () => {
    const store = await openStore(':memory:', { timeZone: 'UTC' });
    const app = await buildServer(store, { compute: { running: 1, waiting: 0 } });
    try {
      const [first, second] = await Promise.all([
        app.inject('/api/summary?period=2010-06'),
        app.inject('/api/summary?period=2010-07'),
      ]);
      expect(first.statusCode).toBe(200);
      expect(second.statusCode).toBe(503);
      expect(second.headers['retry-after']).toBe('5');
      expect(second.json()).toMatchObject({ statusCode: 503, code: 'TEITEN_SERVE_BUSY' });
      expect((await app.inject('/api/summary?period=2010-07')).statusCode).toBe(200);
    } finally {
      await app.close();
      await store.close();
    }
  });
});

describe('rateLimiter()', () => {
  it('rateLimiter() lets perWindow requests per client through, then says how long to wait until the window ends', () => {
    let now = 1_000_000;
    const limit = rateLimiter({ perWindow: 2, windowMs: 10_000 }, () => now);
    expect([limit('a'), limit('a'), limit('b')]).toEqual([0, 0, 0]);
    now += 2_500;
    expect(limit('a')).toBe(8);
    expect(limit('b')).toBe(0);
    now += 7_500;
    expect(limit('a')).toBe(0);
  });

  it('buildServer() answers 429 with Retry-After past the limit, as JSON under /api/ and as a page elsewhere', async () => {
    const store = await openStore(':memory:', { timeZone: 'UTC' });
    const app = await buildServer(store, { rateLimit: { perWindow: 2, windowMs: 60_000 } });
    try {
      expect((await app.inject('/static/teiten.css')).statusCode).toBe(200);
      expect((await app.inject('/api/openapi.json')).statusCode).toBe(200);
      const api = await app.inject('/api/openapi.json');
      expect(api.statusCode).toBe(429);
      expect(Number(api.headers['retry-after'])).toBeGreaterThan(0);
      expect(api.json()).toMatchObject({ statusCode: 429, code: 'TEITEN_SERVE_RATE_LIMIT' });
      const page = await app.inject('/');
      expect(page.statusCode).toBe(429);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
    } finally {
      await app.close();
      await store.close();
    }
  });
});
