/**
 * @module
 * Lexing of rule files: physical lines into logical rules (comments, blank
 * lines and `\` continuations), one rule into its header and its options,
 * and quoted option values into text. Quotes protect `;` and `:`, and so
 * does a backslash (`msg:"a\; b"`), as in Snort and Suricata.
 */
import { RuleValueError } from './errors.js';

/** One rule's text and the line it starts on. */
export interface RuleLine {
  line: number;
  text: string;
}

/** A `keyword` or `keyword:value` option, value trimmed and still escaped. */
export interface RuleOption {
  keyword: string;
  value: string | null;
}

export interface SplitRule {
  header: string;
  options: RuleOption[];
}

const BACKSLASH = '\\';
const QUOTE = '"';

/**
 * Logical rules of a rules file. Lines starting with `#` are comments
 * (disabled rules included); a line ending in `\` continues on the next.
 */
export function ruleLines(text: string): RuleLine[] {
  const lines = text.split(/\r?\n/);
  const out: RuleLine[] = [];
  let pending = '';
  let start = 0;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (pending === '') {
      if (line === '' || line.startsWith('#')) return;
      start = index + 1;
    }
    if (line.endsWith(BACKSLASH) && !line.endsWith(BACKSLASH + BACKSLASH)) {
      pending += `${line.slice(0, -1).trimEnd()} `;
      return;
    }
    out.push({ line: start, text: pending + line });
    pending = '';
  });
  if (pending !== '') out.push({ line: start, text: pending.trimEnd() });
  return out;
}

/** Splits `action proto … (options)` into header text and options. */
export function splitRule(text: string): SplitRule {
  const open = text.indexOf('(');
  if (open < 0) throw new RuleValueError('Cannot parse rule: no option list in parentheses');
  const close = text.lastIndexOf(')');
  if (close < open || text.slice(close + 1).trim() !== '') {
    throw new RuleValueError('Cannot parse rule: option list is not closed with ) at the end');
  }
  return { header: text.slice(0, open).trim(), options: splitOptions(text.slice(open + 1, close)) };
}

/** Options separated by unquoted, unescaped `;`. */
export function splitOptions(body: string): RuleOption[] {
  const options: RuleOption[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === BACKSLASH) {
      i++;
      continue;
    }
    if (c === QUOTE) quoted = !quoted;
    else if (c === ';' && !quoted) {
      pushOption(options, body.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted) throw new RuleValueError('Cannot parse rule options: unterminated quoted string');
  if (body.slice(start).trim() !== '') {
    throw new RuleValueError(`Cannot parse rule options: '${body.slice(start).trim()}' is not ended with ;`);
  }
  return options;
}

function pushOption(options: RuleOption[], raw: string): void {
  const text = raw.trim();
  if (text === '') return;
  const colon = text.indexOf(':');
  if (colon < 0) {
    options.push({ keyword: text, value: null });
    return;
  }
  const keyword = text.slice(0, colon).trim();
  if (!/^[A-Za-z0-9_.-]+$/.test(keyword)) {
    throw new RuleValueError(`Cannot parse rule options: '${keyword}' is not a keyword`);
  }
  options.push({ keyword, value: text.slice(colon + 1).trim() });
}

/**
 * The text of a quoted value (`"a\"b"` → `a"b`). Backslash escapes any one
 * character. `required` false accepts an unquoted value as is.
 */
export function unquote(value: string, what: string, required = true): string {
  const text = value.trim();
  if (text.length >= 2 && text.startsWith(QUOTE) && text.endsWith(QUOTE)) {
    return unescape(text.slice(1, -1), what);
  }
  if (required) throw new RuleValueError(`${what} must be a quoted string, got ${value}`);
  return text;
}

function unescape(text: string, what: string): string {
  if (!text.includes(BACKSLASH)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== BACKSLASH) {
      out += c;
      continue;
    }
    if (i + 1 >= text.length) throw new RuleValueError(`${what} ends with a lone backslash`);
    out += text[++i];
  }
  return out;
}

/**
 * Splits on commas outside quotes, trimming each part (`threshold`,
 * `byte_test`, `metadata`).
 */
export function splitCommas(value: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) quoted = !quoted;
    else if (c === ',' && !quoted) {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(value.slice(start).trim());
  return parts;
}
