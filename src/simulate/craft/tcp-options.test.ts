import { describe, expect, it } from 'vitest';
import { linuxSynOptions, tcpOptions } from './tcp-options.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('tcpOptions', () => {
  it('tcpOptions() encodes each option kind', () => {
    expect(hex(tcpOptions([{ kind: 'mss', value: 1460 }]))).toBe('020405b4');
    expect(hex(tcpOptions([{ kind: 'nop' }, { kind: 'window-scale', shift: 14 }]))).toBe('0103030e');
    expect(hex(tcpOptions([{ kind: 'sack-permitted' }, { kind: 'eol' }]))).toBe('040200');
    expect(hex(tcpOptions([{ kind: 'timestamps', value: 0x01020304, echo: 0xfffffffe }]))).toBe('080a01020304fffffffe');
    expect(
      hex(
        tcpOptions([
          {
            kind: 'sack',
            blocks: [
              [1, 2],
              [0xffffffff, 0],
            ],
          },
        ]),
      ),
    ).toBe('0512' + '0000000100000002' + 'ffffffff00000000');
    expect(hex(tcpOptions([{ kind: 'raw', bytes: Uint8Array.of(0xfe, 4, 0xab, 0xcd) }]))).toBe('fe04abcd');
  });

  it('linuxSynOptions() builds the 20-byte Linux SYN layout', () => {
    expect(hex(linuxSynOptions({ mss: 1460, timestamp: 0x11223344, windowShift: 7 }))).toBe(
      '020405b4' + '0402' + '080a1122334400000000' + '01' + '030307',
    );
    expect(linuxSynOptions().length).toBe(20);
  });

  it('tcpOptions() rejects values out of range and more than 40 bytes', () => {
    expect(() => tcpOptions([{ kind: 'mss', value: 70000 }])).toThrow(/mss\.value/);
    expect(() => tcpOptions([{ kind: 'window-scale', shift: 15 }])).toThrow(/exceeds 14/);
    expect(() => tcpOptions([{ kind: 'sack', blocks: [] }])).toThrow(/0 blocks/);
    expect(() => tcpOptions(Array.from({ length: 11 }, () => ({ kind: 'mss' as const, value: 1 })))).toThrow(
      /44 bytes/,
    );
    expect(() => tcpOptions([{ kind: 'bogus' } as never])).toThrow(/unknown kind "bogus"/);
  });
});
