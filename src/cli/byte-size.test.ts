import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.js';
import { parsed, parseOptions } from './options.js';

describe('parseByteSize()', () => {
  it('reads binary units, and a bare number as MiB', () => {
    expect(parseByteSize('384')).toBe(384 * 2 ** 20);
    expect(parseByteSize('384MiB')).toBe(384 * 2 ** 20);
    expect(parseByteSize('1.5g')).toBe(1.5 * 2 ** 30);
    expect(parseByteSize('64 KiB')).toBe(64 * 1024);
    expect(parseByteSize('4096b')).toBe(4096);
  });

  it('refuses zero, negative and unknown units with a RangeError', () => {
    for (const bad of ['0', '-5MiB', '12 parsecs', '', 'MiB']) {
      expect(() => parseByteSize(bad)).toThrow(RangeError);
    }
  });

  it('as an option, names it in the usage error', () => {
    expect(() => parseOptions({ 'memory-budget': parsed(parseByteSize) }, { 'memory-budget': 'x' })).toThrow(
      "--memory-budget must be a size such as 384MiB or 2GiB (a bare number is MiB), got 'x'",
    );
  });
});
