import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.js';
import { UsageError } from './errors.js';

describe('parseByteSize()', () => {
  it('reads binary units, and a bare number as MiB', () => {
    expect(parseByteSize('memory-budget', '384')).toBe(384 * 2 ** 20);
    expect(parseByteSize('memory-budget', '384MiB')).toBe(384 * 2 ** 20);
    expect(parseByteSize('memory-budget', '1.5g')).toBe(1.5 * 2 ** 30);
    expect(parseByteSize('memory-budget', '64 KiB')).toBe(64 * 1024);
    expect(parseByteSize('memory-budget', '4096b')).toBe(4096);
  });

  it('refuses zero, negative and unknown units with a usage error naming the option', () => {
    for (const bad of ['0', '-5MiB', '12 parsecs', '', 'MiB']) {
      expect(() => parseByteSize('memory-budget', bad)).toThrow(UsageError);
    }
    expect(() => parseByteSize('memory-budget', 'x')).toThrow(/--memory-budget/);
  });
});
