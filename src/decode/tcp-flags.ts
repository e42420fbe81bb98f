/**
 * @module
 * TCP flags as text: one letter per set flag in the fixed order F S R P A U E
 * C N (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, NS), so SYN/ACK is `SA`, RST/ACK
 * `RA` and no flags the empty string. The strings are built once per value.
 */
import { TcpFlag } from './batch.js';

/** Letter and bit of each flag, in output order. */
const FLAG_LETTERS: readonly (readonly [string, number])[] = [
  ['F', TcpFlag.FIN],
  ['S', TcpFlag.SYN],
  ['R', TcpFlag.RST],
  ['P', TcpFlag.PSH],
  ['A', TcpFlag.ACK],
  ['U', TcpFlag.URG],
  ['E', TcpFlag.ECE],
  ['C', TcpFlag.CWR],
  ['N', TcpFlag.NS],
];
const FLAG_VALUES = 1 << FLAG_LETTERS.length;
const FLAG_MASK = FLAG_VALUES - 1;

const FLAG_TEXT: readonly string[] = Array.from({ length: FLAG_VALUES }, (_, bits) => {
  let text = '';
  for (const [letter, bit] of FLAG_LETTERS) if ((bits & bit) !== 0) text += letter;
  return text;
});

const LETTER_BITS = new Map<string, number>(FLAG_LETTERS);

/** Letters of the flags set in `bits` (a `tcpFlags` column value); bits above NS are ignored. */
export function formatTcpFlags(bits: number): string {
  return FLAG_TEXT[bits & FLAG_MASK]!;
}

/** The inverse of `formatTcpFlags`: letters in any order, each at most once. */
export function parseTcpFlags(text: string): number {
  let bits = 0;
  for (const letter of text) {
    const bit = LETTER_BITS.get(letter);
    if (bit === undefined || (bits & bit) !== 0) {
      throw new SyntaxError(
        `Cannot parse TCP flags "${text}": unexpected "${letter}" (letters are FSRPAUECN, each once)`,
      );
    }
    bits |= bit;
  }
  return bits;
}
