import { describe, expect, it } from 'vitest';
import { TcpFlag } from './batch.js';
import { formatTcpFlags, parseTcpFlags } from './tcp-flags.js';

describe('formatTcpFlags()', () => {
  it('formatTcpFlags() writes SYN/ACK as SA and RST/ACK as RA', () => {
    expect(formatTcpFlags(TcpFlag.SYN | TcpFlag.ACK)).toBe('SA');
    expect(formatTcpFlags(TcpFlag.RST | TcpFlag.ACK)).toBe('RA');
    expect(formatTcpFlags(TcpFlag.SYN)).toBe('S');
  });

  it('formatTcpFlags() writes no flags as the empty string', () => {
    expect(formatTcpFlags(0)).toBe('');
  });

  it('formatTcpFlags() orders every flag F S R P A U E C N', () => {
    expect(formatTcpFlags(0x1ff)).toBe('FSRPAUECN');
    expect(formatTcpFlags(TcpFlag.NS | TcpFlag.FIN | TcpFlag.CWR | TcpFlag.ECE)).toBe('FECN');
  });

  it('formatTcpFlags() ignores bits above NS', () => {
    expect(formatTcpFlags(0xe00 | TcpFlag.PSH)).toBe('P');
  });
});

describe('parseTcpFlags()', () => {
  it('parseTcpFlags() reverses formatTcpFlags() for every value', () => {
    for (let bits = 0; bits < 0x200; bits++) expect(parseTcpFlags(formatTcpFlags(bits))).toBe(bits);
  });

  it('parseTcpFlags() accepts letters in any order', () => {
    expect(parseTcpFlags('AS')).toBe(TcpFlag.SYN | TcpFlag.ACK);
  });

  it.each(['X', 'SS', 's', 'S A'])('parseTcpFlags() rejects "%s" with a SyntaxError', (text) => {
    expect(() => parseTcpFlags(text)).toThrow(SyntaxError);
  });
});
