/**
 * @module
 * `pcre` options to JavaScript RegExps over the latin1 text of a payload
 * (one character per byte). PCRE and JavaScript differ in places that change
 * matches, so the translation rewrites them to PCRE's meaning (no JS `m`
 * flag: `^`/`$` become explicit look-arounds on `\n` only; `.` excludes only
 * `\n`; `\s` is the six ASCII spaces) and refuses what it cannot keep exact
 * (possessive and atomic groups, inline modifiers past the start, `\Q…\E`,
 * `/G`, HTTP-buffer flags, `/i` with non-ASCII letters, which JS would fold
 * and PCRE does not). A refusal is an `UnsupportedRuleError` naming `pcre`.
 */
import { RuleValueError, UnsupportedRuleError } from './errors.js';
import { quotedValue } from './content-bytes.js';
import type { PcreMatch } from './rule-types.js';

const SPACES = '\\t\\n\\v\\f\\r ';
const START = '(?<![\\s\\S])';
const END = '(?![\\s\\S])';
/** PCRE flags that mean something for a packet payload. */
const PAYLOAD_FLAGS = 'ismxAERBO';
/** Flags selecting HTTP or other sticky buffers (Snort/Suricata): not a packet payload. */
const BUFFER_FLAGS = 'UIPQHDMCKSYVWZ';
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  xdigit: '0-9A-Fa-f',
  space: SPACES,
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\x00-\\x1f\\x7f',
  word: '\\w',
};
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  d: '\\d',
  D: '\\D',
  w: '\\w',
  W: '\\W',
  n: '\\n',
  r: '\\r',
  t: '\\t',
  f: '\\f',
  v: '\\v',
  e: '\\x1b',
  a: '\\x07',
};

interface Flags {
  caseless: boolean;
  dotAll: boolean;
  multiline: boolean;
  extended: boolean;
  dollarEndOnly: boolean;
}

/** Parses a `pcre` option value (`[!]"/pattern/flags"`). */
export function parsePcre(value: string): PcreMatch {
  // Quotes are stripped but escapes kept: `\;` and `\"` are PCRE escapes of `;` and `"`.
  const { inner: text, negated } = quotedValue(value, 'pcre must be a quoted /pattern/flags');
  const first = text.indexOf('/');
  const last = text.lastIndexOf('/');
  if (first !== 0 || last <= first) throw new RuleValueError(`pcre must be /pattern/flags, got ${value}`);
  const pattern = text.slice(1, last);
  const flagText = text.slice(last + 1);
  const flags: Flags = { caseless: false, dotAll: false, multiline: false, extended: false, dollarEndOnly: false };
  let relative = false;
  let anchored = false;
  for (const f of flagText) {
    if (BUFFER_FLAGS.includes(f))
      throw new UnsupportedRuleError(`pcre /${f}`, 'selects an HTTP or stream buffer, not the packet payload');
    if (!PAYLOAD_FLAGS.includes(f)) {
      const why = f === 'G' ? 'ungreedy matching is not translated' : 'unknown pcre flag';
      throw new UnsupportedRuleError(`pcre /${f}`, why);
    }
    if (f === 'i') flags.caseless = true;
    else if (f === 's') flags.dotAll = true;
    else if (f === 'm') flags.multiline = true;
    else if (f === 'x') flags.extended = true;
    else if (f === 'E') flags.dollarEndOnly = true;
    else if (f === 'R') relative = true;
    else if (f === 'A') anchored = true;
    // B (raw bytes) and O (override match limits) change nothing for a packet payload.
  }
  const source = translate(pattern, flags);
  const jsFlags = `${anchored ? 'y' : 'g'}${flags.caseless ? 'i' : ''}${flags.dotAll ? 's' : ''}`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, jsFlags);
  } catch (cause: unknown) {
    throw new RuleValueError(
      `pcre ${value} does not compile: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
  return { kind: 'pcre', regex, negated, relative, source: value };
}

/** Translates a PCRE pattern to JavaScript source with the same matches on latin1 text. */
export function translate(pattern: string, flags: Flags): string {
  let out = '';
  let i = 0;
  const unsupported = (what: string): never => {
    throw new UnsupportedRuleError('pcre', `${what} has no exact JavaScript equivalent`);
  };
  const checkCaseless = (code: number): void => {
    if (flags.caseless && code >= 0xc0 && code <= 0xfe && code !== 0xd7 && code !== 0xf7) {
      unsupported('/i with a non-ASCII letter');
    }
  };

  while (i < pattern.length) {
    const c = pattern[i]!;
    if (flags.extended && /\s/.test(c)) {
      i++;
      continue;
    }
    if (flags.extended && c === '#') {
      while (i < pattern.length && pattern[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      const [text, next] = escape(pattern, i, false, checkCaseless, unsupported);
      out += text;
      i = next;
      continue;
    }
    if (c === '[') {
      const [text, next] = characterClass(pattern, i, checkCaseless, unsupported);
      out += text;
      i = next;
      continue;
    }
    if (c === '.') {
      out += flags.dotAll ? '.' : '[^\\n]';
      i++;
      continue;
    }
    if (c === '^') {
      out += flags.multiline ? `(?:${START}|(?<=\\n)(?=[\\s\\S]))` : '^';
      i++;
      continue;
    }
    if (c === '$') {
      if (flags.multiline) out += `(?=\\n|${END})`;
      else out += flags.dollarEndOnly ? END : `(?=\\n?${END})`;
      i++;
      continue;
    }
    if (c === '(') {
      const [text, next] = group(pattern, i, out === '', flags, unsupported);
      out += text;
      i = next;
      continue;
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && pattern[i + 1] === '+')
      unsupported('a possessive quantifier');
    checkCaseless(c.charCodeAt(0));
    out += c;
    i++;
  }
  return out;
}

function group(
  pattern: string,
  i: number,
  atStart: boolean,
  flags: Flags,
  unsupported: (what: string) => never,
): [string, number] {
  if (pattern[i + 1] !== '?') return ['(', i + 1];
  const rest = pattern.slice(i + 2);
  if (/^(:|=|!|<=|<!)/.test(rest)) return ['(?', i + 2];
  if (/^<[A-Za-z_]/.test(rest)) return ['(?<', i + 3];
  if (/^P<[A-Za-z_]/.test(rest)) return ['(?<', i + 4];
  const backref = /^P=([A-Za-z_]\w*)\)/.exec(rest);
  if (backref !== null) return [`\\k<${backref[1]}>`, i + 2 + backref[0].length];
  if (rest.startsWith('#')) {
    const close = pattern.indexOf(')', i);
    if (close < 0) unsupported('an unterminated comment');
    return ['', close + 1];
  }
  const inline = /^([imsx]+)\)/.exec(rest);
  if (inline !== null && atStart) {
    for (const f of inline[1]!) {
      if (f === 'i') flags.caseless = true;
      else if (f === 's') flags.dotAll = true;
      else if (f === 'm') flags.multiline = true;
      else flags.extended = true;
    }
    return ['', i + 2 + inline[0].length];
  }
  return unsupported(`the group (?${rest.slice(0, 2)}`);
}

/** One escape at `pattern[i] === '\\'`; inside a class, `\s` is spelt out and `\S` refused. */
function escape(
  pattern: string,
  i: number,
  inClass: boolean,
  checkCaseless: (code: number) => void,
  unsupported: (what: string) => never,
): [string, number] {
  const c = pattern[i + 1];
  if (c === undefined) return unsupported('a trailing backslash');
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return [simple, i + 2];
  if (c === 's') return [inClass ? SPACES : `[${SPACES}]`, i + 2];
  if (c === 'S') return inClass ? unsupported('\\S inside a class') : [`[^${SPACES}]`, i + 2];
  if (!inClass && (c === 'b' || c === 'B')) return [`\\${c}`, i + 2];
  if (inClass && c === 'b') return ['\\x08', i + 2];
  if (!inClass && c === 'A') return [START, i + 2];
  if (!inClass && c === 'z') return [END, i + 2];
  if (!inClass && c === 'Z') return [`(?=\\n?${END})`, i + 2];
  if (c === 'x') {
    const braced = /^\{([0-9A-Fa-f]{1,2})\}/.exec(pattern.slice(i + 2));
    const plain = /^[0-9A-Fa-f]{1,2}/.exec(pattern.slice(i + 2));
    const digits = braced?.[1] ?? plain?.[0];
    if (digits === undefined) return unsupported('\\x without hex digits or beyond \\xff');
    const code = parseInt(digits, 16);
    checkCaseless(code);
    return [`\\x${code.toString(16).padStart(2, '0')}`, i + 2 + (braced?.[0].length ?? digits.length)];
  }
  if (c === '0') {
    const octal = /^[0-7]{0,2}/.exec(pattern.slice(i + 2))![0];
    const code = parseInt(`0${octal}`, 8);
    checkCaseless(code);
    return [`\\x${code.toString(16).padStart(2, '0')}`, i + 2 + octal.length];
  }
  if (/[1-9]/.test(c)) {
    if (inClass || /[0-9]/.test(pattern[i + 2] ?? '')) return unsupported('an octal or two-digit back reference');
    return [`\\${c}`, i + 2];
  }
  if (/[A-Za-z0-9]/.test(c)) return unsupported(`the escape \\${c}`);
  if (c.charCodeAt(0) > 0x7f) return unsupported('an escaped non-ASCII character');
  return [`\\${c}`, i + 2];
}

/** A `[...]` class at `pattern[i]`, with PCRE's literal leading `]` and POSIX names. */
function characterClass(
  pattern: string,
  i: number,
  checkCaseless: (code: number) => void,
  unsupported: (what: string) => never,
): [string, number] {
  let out = '[';
  let k = i + 1;
  if (pattern[k] === '^') {
    out += '^';
    k++;
  }
  if (pattern[k] === ']') {
    out += '\\]';
    k++;
  }
  while (k < pattern.length && pattern[k] !== ']') {
    const c = pattern[k]!;
    if (c === '[' && pattern[k + 1] === ':') {
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(k));
      const body = posix !== null && posix[1] === '' ? POSIX_CLASSES[posix[2]!] : undefined;
      if (posix === null || body === undefined) return unsupported('a POSIX class');
      out += body;
      k += posix[0].length;
      continue;
    }
    if (c === '\\') {
      const [text, next] = escape(pattern, k, true, checkCaseless, unsupported);
      out += text;
      k = next;
      continue;
    }
    checkCaseless(c.charCodeAt(0));
    out += c === '[' ? '\\[' : c;
    k++;
  }
  if (k >= pattern.length) return unsupported('an unterminated class');
  return [`${out}]`, k + 1];
}
