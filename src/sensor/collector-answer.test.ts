import { describe, expect, it } from 'vitest';
import { readAnswer, retryAfterMs } from './collector-answer.js';
import { SegmentAnswer } from './protocol.js';

const body = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const answer = { status: 'stored', segmentId: 'a'.repeat(64), sequence: 3, packets: 10, clockOffsetMs: 12 };

describe('readAnswer()', () => {
  it('readAnswer() returns a 2xx body that matches the schema', () => {
    expect(readAnswer({ status: 200, headers: {}, body: body(answer) }, SegmentAnswer, 'segment 3')).toEqual({
      kind: 'ok',
      value: answer,
    });
  });

  it('readAnswer() stops the agent with the collector reason on 401 and 403', () => {
    for (const status of [401, 403]) {
      expect(() =>
        readAnswer(
          { status, headers: {}, body: body({ error: 'REVOKED', reason: 'sensor tokyo is revoked' }) },
          SegmentAnswer,
          'segment 3',
        ),
      ).toThrow(
        expect.objectContaining({
          code: 'TEITEN_SENSOR_REFUSED',
          message: expect.stringContaining('sensor tokyo is revoked [REVOKED]'),
        }),
      );
    }
  });

  it('readAnswer() retries 503 after Retry-After, 500 with backoff, and stops on 413', () => {
    expect(
      readAnswer(
        { status: 503, headers: { 'retry-after': '7' }, body: body({ error: 'BUSY', reason: 'queue full' }) },
        SegmentAnswer,
        's',
      ),
    ).toEqual({ kind: 'retry', reason: 'collector busy (503): queue full [BUSY]', afterMs: 7000 });
    expect(readAnswer({ status: 500, headers: {}, body: Buffer.from('oops') }, SegmentAnswer, 's')).toMatchObject({
      kind: 'retry',
      afterMs: undefined,
    });
    expect(() =>
      readAnswer(
        { status: 413, headers: {}, body: body({ error: 'TOO_LARGE', reason: 'over 1 MiB' }) },
        SegmentAnswer,
        's',
      ),
    ).toThrow(expect.objectContaining({ code: 'TEITEN_SENSOR_REJECTED' }));
  });
});

describe('retryAfterMs()', () => {
  it('retryAfterMs() reads seconds and HTTP dates and caps long waits', () => {
    const now = Date.parse('2026-12-07T00:00:00Z');
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs('Mon, 07 Dec 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('86400', now)).toBe(300_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
