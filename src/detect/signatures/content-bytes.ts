/**
 * @module
 * `content` values: text with `|hex|` runs and backslash escapes decoded to
 * bytes, and the byte search the matcher uses (ASCII case folding for
 * `nocase`, as Snort and Suricata fold).
 */
import { RuleValueError } from './errors.js';

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
/** Characters a backslash may escape in content text (Suricata's set). */
const ESCAPABLE = '\\";:|';

/** ASCII lower-casing table: `FOLD[b]` is `b` with A–Z mapped to a–z. */
export const FOLD: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
  return table;
})();

export interface ParsedContent {
  bytes: Uint8Array;
  negated: boolean;
}

/** Decodes a `content` option value: `[!]"text|41 42|text"`. */
export function parseContent(value: string): ParsedContent {
  const { inner, negated } = quotedValue(value, 'content must be a quoted string');
  return { bytes: contentBytes(inner), negated };
}

/**
 * The inside of a `[!]"…"` option value (content, pcre) and whether it is
 * negated. Escapes are kept: each option reads its own (`\;` in pcre is a
 * PCRE escape). Throws `RuleValueError` with `expected` and the value.
 */
export function quotedValue(value: string, expected: string): { inner: string; negated: boolean } {
  let text = value.trim();
  let negated = false;
  if (text.startsWith('!')) {
    negated = true;
    text = text.slice(1).trim();
  }
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"'))
    throw new RuleValueError(`${expected}, got ${value}`);
  return { inner: text.slice(1, -1), negated };
}

/** Bytes of the inside of a content string. */
export function contentBytes(inner: string): Uint8Array {
  const out: number[] = [];
  let hex = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (c === '|') {
      hex = !hex;
      continue;
    }
    if (hex) {
      if (c === ' ' || c === '\t') continue;
      const pair = inner.slice(i, i + 2);
      if (!HEX_PAIR.test(pair)) throw new RuleValueError(`content has bad hex '${pair}' at character ${i + 1}`);
      out.push(parseInt(pair, 16));
      i++;
      continue;
    }
    if (c === '\\') {
      const next = inner[i + 1];
      if (next === undefined || !ESCAPABLE.includes(next)) {
        throw new RuleValueError(`content has an unknown escape '\\${next ?? ''}' at character ${i + 1}`);
      }
      out.push(next.charCodeAt(0));
      i++;
      continue;
    }
    const code = c.charCodeAt(0);
    if (code > 0xff) throw new RuleValueError(`content has a character beyond latin1 at character ${i + 1}`);
    out.push(code);
  }
  if (hex) throw new RuleValueError('content has an unterminated |hex| run');
  if (out.length === 0) throw new RuleValueError('content is empty');
  return Uint8Array.from(out);
}

/**
 * First index `>= start` at which `pattern` occurs wholly inside
 * `data[start, end)`, or -1. `nocase` compares ASCII-folded bytes; the
 * pattern is then expected folded already.
 */
export function findBytes(data: Uint8Array, start: number, end: number, pattern: Uint8Array, nocase: boolean): number {
  const n = pattern.length;
  const last = end - n;
  if (n === 0) return start <= end ? start : -1;
  const first = pattern[0]!;
  if (nocase) {
    for (let i = start; i <= last; i++) {
      if (FOLD[data[i]!] !== first) continue;
      let k = 1;
      while (k < n && FOLD[data[i + k]!] === pattern[k]) k++;
      if (k === n) return i;
    }
    return -1;
  }
  for (let i = start; i <= last; i++) {
    if (data[i] !== first) continue;
    let k = 1;
    while (k < n && data[i + k] === pattern[k]) k++;
    if (k === n) return i;
  }
  return -1;
}

/** ASCII-folded copy of `bytes`. */
export function foldBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = FOLD[bytes[i]!]!;
  return out;
}
