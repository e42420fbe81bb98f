/**
 * @module
 * `?` placeholders → ClickHouse literals, for servers without query
 * parameters (18.16 has none: `{a:UInt32}` fails). This is the only place
 * where values enter SQL text, so the encoder is strict: finite numbers,
 * safe or bigint integers, strings escaped per ClickHouse's rules, byte
 * arrays, arrays of those and NULL; anything else throws.
 *
 * Placeholders inside string literals, quoted identifiers and comments are
 * not placeholders. Negative numbers are parenthesised so `x -?` can never
 * become the comment `x --5`.
 */

const QUOTE = 0x27; // '
const DOUBLE_QUOTE = 0x22; // "
const BACKTICK = 0x60; // `
const BACKSLASH = 0x5c;
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const QUESTION = 0x3f;
const FIRST_PRINTABLE = 0x20;
const DELETE = 0x7f;

/** The SQL cut at each placeholder: `n` placeholders give `n + 1` pieces. */
export function splitPlaceholders(sql: string): string[] {
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === QUOTE || c === DOUBLE_QUOTE || c === BACKTICK) {
      i = skipQuoted(sql, i, c);
    } else if (c === DASH && sql.charCodeAt(i + 1) === DASH) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === SLASH && sql.charCodeAt(i + 1) === STAR) {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw new SyntaxError(`the comment opened at offset ${i} is not closed`);
      i = end + 2;
    } else if (c === QUESTION) {
      pieces.push(sql.slice(start, i));
      start = ++i;
    } else {
      i++;
    }
  }
  pieces.push(sql.slice(start));
  return pieces;
}

/** Index just past the quoted run opened at `open`; ClickHouse escapes with backslashes or doubling. */
function skipQuoted(sql: string, open: number, quote: number): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  throw new SyntaxError(`the quoted text opened at offset ${open} is not closed`);
}

/** `sql` with each `?` replaced by the literal of the matching parameter. */
export function renderClickHouseSql(sql: string, params: readonly unknown[]): string {
  const pieces = splitPlaceholders(sql);
  if (pieces.length - 1 !== params.length) {
    throw new RangeError(`the SQL has ${pieces.length - 1} placeholders but ${params.length} parameters were given`);
  }
  let out = pieces[0]!;
  for (let k = 0; k < params.length; k++) out += encodeLiteral(params[k], k + 1) + pieces[k + 1]!;
  return out;
}

/** The ClickHouse literal of one value; `position` (1-based) names it in errors. */
export function encodeLiteral(value: unknown, position = 1): string {
  if (value === null) return 'NULL';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`parameter ${position} is ${value}, not a finite number`);
      // String() gives the shortest text that reads back as the same double; ClickHouse parses 1e-7 too.
      return value < 0 || Object.is(value, -0) ? `(${String(value)})` : String(value);
    case 'bigint':
      return value < 0n ? `(${value.toString()})` : value.toString();
    case 'boolean':
      return value ? '1' : '0';
    case 'string':
      return quoteString(value);
    default:
      break;
  }
  if (value instanceof Uint8Array) return quoteBytes(value);
  if (Array.isArray(value)) return `[${value.map((item) => encodeLiteral(item, position)).join(', ')}]`;
  throw new TypeError(
    `parameter ${position} is ${value === undefined ? 'undefined' : typeof value}; pass a number, bigint, string, Uint8Array, null or array`,
  );
}

/**
 * A single-quoted string: backslash and quote get a backslash, control
 * characters and DEL become `\xHH`, so the literal is one printable line.
 */
export function quoteString(text: string): string {
  let out = "'";
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH || c === QUOTE || c < FIRST_PRINTABLE || c === DELETE) {
      out += text.slice(start, i);
      out += c === BACKSLASH ? '\\\\' : c === QUOTE ? "\\'" : `\\x${hex2(c)}`;
      start = i + 1;
    }
  }
  return `${out}${text.slice(start)}'`;
}

/** Bytes as a String literal, every byte `\xHH` (ClickHouse strings hold bytes). */
function quoteBytes(bytes: Uint8Array): string {
  let out = "'";
  for (const b of bytes) out += `\\x${hex2(b)}`;
  return `${out}'`;
}

function hex2(c: number): string {
  return c.toString(16).padStart(2, '0');
}
