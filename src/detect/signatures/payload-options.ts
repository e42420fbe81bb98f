/**
 * @module
 * Payload keywords of a rule: `content` and its modifiers (`nocase`,
 * `offset`, `depth`, `distance`, `within`, `startswith`, `endswith`,
 * `fast_pattern`, `rawbytes`), `isdataat`, `byte_test` and `byte_jump`,
 * each turned into a `PayloadMatch` with Suricata's validation rules.
 */
import { foldBytes, parseContent } from './content-bytes.js';
import { RuleValueError, UnsupportedRuleError } from './errors.js';
import { parseNumber, parseSignedNumber } from './numeric-test.js';
import { splitCommas } from './rule-text.js';
import {
  Compare,
  ByteTestOp,
  type ByteJump,
  type ByteRead,
  type ByteTest,
  type ContentMatch,
  type IsDataAt,
} from './rule-types.js';

const MAX_OFFSET = 65535;
/** Largest binary read kept exact in a JavaScript number (2^48). */
const MAX_BINARY_BYTES = 6;
/** Largest `string` read (Suricata allows 23 octal digits; 15 decimal digits stay exact). */
const MAX_STRING_BYTES = 15;

export function contentMatch(value: string | null): ContentMatch {
  if (value === null) throw new RuleValueError('content needs a value');
  const { bytes, negated } = parseContent(value);
  return {
    kind: 'content',
    bytes,
    nocase: false,
    negated,
    offset: 0,
    depth: 0,
    relative: false,
    distance: 0,
    within: 0,
    endsWith: false,
    fastPattern: false,
    fastChunk: null,
  };
}

/** Number argument of a content modifier; a name means a `byte_extract` variable. */
function modifierNumber(keyword: string, value: string | null, signed: boolean): number {
  if (value === null) throw new RuleValueError(`${keyword} needs a value`);
  if (/^[A-Za-z_]/.test(value.trim())) {
    throw new UnsupportedRuleError('byte_extract', `${keyword} uses the variable '${value.trim()}'`);
  }
  return signed ? parseSignedNumber(value, keyword, MAX_OFFSET) : parseNumber(value, keyword, MAX_OFFSET);
}

/** Applies a content modifier keyword to `content`; false when `keyword` is not one. */
export function applyContentModifier(content: ContentMatch | null, keyword: string, value: string | null): boolean {
  const modifiers = [
    'nocase',
    'depth',
    'offset',
    'distance',
    'within',
    'startswith',
    'endswith',
    'fast_pattern',
    'rawbytes',
  ];
  if (!modifiers.includes(keyword)) return false;
  if (content === null) throw new RuleValueError(`${keyword} needs a preceding content`);
  const absolute = content.offset !== 0 || content.depth !== 0;
  switch (keyword) {
    case 'nocase':
      content.nocase = true;
      content.bytes = foldBytes(content.bytes);
      break;
    case 'rawbytes':
      break; // The packet payload is raw already.
    case 'depth':
    case 'offset': {
      if (content.relative) throw new RuleValueError(`${keyword} cannot be mixed with distance/within on one content`);
      const n = modifierNumber(keyword, value, false);
      if (keyword === 'depth') {
        if (n < content.bytes.length)
          throw new RuleValueError(`depth ${n} is shorter than the content (${content.bytes.length})`);
        content.depth = n;
      } else content.offset = n;
      break;
    }
    case 'distance':
    case 'within': {
      if (absolute) throw new RuleValueError(`${keyword} cannot be mixed with offset/depth on one content`);
      content.relative = true;
      if (keyword === 'distance') content.distance = modifierNumber(keyword, value, true);
      else {
        const n = modifierNumber(keyword, value, false);
        if (n < content.bytes.length)
          throw new RuleValueError(`within ${n} is shorter than the content (${content.bytes.length})`);
        content.within = n;
      }
      break;
    }
    case 'startswith':
      if (absolute || content.relative)
        throw new RuleValueError('startswith cannot be combined with offset, depth, distance or within');
      content.depth = content.bytes.length;
      break;
    case 'endswith':
      content.endsWith = true;
      break;
    case 'fast_pattern':
      content.fastPattern = true;
      content.fastChunk = fastChunk(value, content.bytes.length);
      break;
  }
  return true;
}

function fastChunk(value: string | null, length: number): readonly [number, number] | null {
  if (value === null || value.trim() === 'only') return null;
  const parts = value.split(',');
  if (parts.length !== 2) throw new RuleValueError(`fast_pattern '${value}' must be only or offset,length`);
  const offset = parseNumber(parts[0]!, 'fast_pattern offset', MAX_OFFSET);
  const len = parseNumber(parts[1]!, 'fast_pattern length', MAX_OFFSET, 1);
  if (offset + len > length) throw new RuleValueError(`fast_pattern ${value} runs past the content (${length} bytes)`);
  return [offset, len];
}

/** `isdataat:[!]N[,relative][,rawbytes]`. */
export function isDataAt(value: string | null): IsDataAt {
  if (value === null) throw new RuleValueError('isdataat needs a value');
  const parts = splitCommas(value);
  let first = parts[0]!;
  const negated = first.startsWith('!');
  if (negated) first = first.slice(1);
  const relative = parts.includes('relative');
  for (const extra of parts.slice(1)) {
    if (extra !== 'relative' && extra !== 'rawbytes')
      throw new RuleValueError(`isdataat has an unknown flag '${extra}'`);
  }
  return { kind: 'isdataat', at: modifierNumber('isdataat', first, false), relative, negated };
}

/** Options common to `byte_test` and `byte_jump` after the positional ones. */
function byteRead(
  keyword: string,
  bytesText: string,
  offsetText: string,
  flags: string[],
): ByteRead & { rest: string[] } {
  const read: ByteRead & { rest: string[] } = {
    bytes: 0,
    offset: modifierNumber(keyword, offsetText, true),
    relative: false,
    bigEndian: true,
    base: 0,
    bitmask: 0,
    rest: [],
  };
  let string = false;
  for (const flag of flags) {
    const [name, arg] = flag.split(/\s+/, 2) as [string, string | undefined];
    if (name === 'relative') read.relative = true;
    else if (name === 'big') read.bigEndian = true;
    else if (name === 'little') read.bigEndian = false;
    else if (name === 'string') string = true;
    else if (name === 'dec' || name === 'hex' || name === 'oct')
      read.base = name === 'dec' ? 10 : name === 'hex' ? 16 : 8;
    else if (name === 'bitmask') read.bitmask = parseNumber(arg ?? '', `${keyword} bitmask`, 0xffffffff, 1);
    else if (name === 'dce') throw new UnsupportedRuleError(`${keyword} dce`, 'needs DCE/RPC state');
    else read.rest.push(flag);
  }
  if (string && read.base === 0) read.base = 10;
  if (!string && read.base !== 0) throw new RuleValueError(`${keyword} gives a number base without string`);
  read.bytes = modifierNumber(keyword, bytesText, false);
  const max = read.base === 0 ? MAX_BINARY_BYTES : MAX_STRING_BYTES;
  if (read.bytes < 1) throw new RuleValueError(`${keyword} reads no bytes`);
  if (read.bytes > max)
    throw new UnsupportedRuleError(keyword, `reading ${read.bytes} bytes is not kept exact (at most ${max})`);
  return read;
}

/** `byte_test:bytes,[!]op,value,offset[,flags…]`. */
export function byteTest(value: string | null): ByteTest {
  if (value === null) throw new RuleValueError('byte_test needs a value');
  const parts = splitCommas(value);
  if (parts.length < 4) throw new RuleValueError(`byte_test '${value}' needs bytes, operator, value and offset`);
  let opText = parts[1]!.replace(/\s+/g, '');
  const negated = opText.startsWith('!');
  if (negated) opText = opText.slice(1);
  const ops: Record<string, number> = {
    '<': Compare.LT,
    '>': Compare.GT,
    '=': Compare.EQ,
    '<=': Compare.LE,
    '>=': Compare.GE,
    '&': ByteTestOp.AND,
    '^': ByteTestOp.OR,
  };
  const op = ops[opText];
  if (op === undefined) throw new RuleValueError(`byte_test operator '${parts[1]}' is unknown`);
  const read = byteRead('byte_test', parts[0]!, parts[3]!, parts.slice(4));
  if (read.rest.length > 0) throw new RuleValueError(`byte_test has an unknown flag '${read.rest[0]}'`);
  const { rest: _rest, ...fields } = read;
  const valueText = parts[2]!;
  if (/^[A-Za-z_]/.test(valueText))
    throw new UnsupportedRuleError('byte_extract', `byte_test uses the variable '${valueText}'`);
  return {
    kind: 'byte_test',
    ...fields,
    op,
    negated,
    value: parseNumber(valueText, 'byte_test value', Number.MAX_SAFE_INTEGER),
  };
}

/** `byte_jump:bytes,offset[,flags…]`. */
export function byteJump(value: string | null): ByteJump {
  if (value === null) throw new RuleValueError('byte_jump needs a value');
  const parts = splitCommas(value);
  if (parts.length < 2) throw new RuleValueError(`byte_jump '${value}' needs bytes and offset`);
  const read = byteRead('byte_jump', parts[0]!, parts[1]!, parts.slice(2));
  const jump: ByteJump = {
    kind: 'byte_jump',
    bytes: read.bytes,
    offset: read.offset,
    relative: read.relative,
    bigEndian: read.bigEndian,
    base: read.base,
    bitmask: read.bitmask,
    multiplier: 1,
    align: false,
    fromBeginning: false,
    fromEnd: false,
    postOffset: 0,
  };
  for (const flag of read.rest) {
    const [name, arg] = flag.split(/\s+/, 2) as [string, string | undefined];
    if (name === 'align') jump.align = true;
    else if (name === 'from_beginning') jump.fromBeginning = true;
    else if (name === 'from_end') jump.fromEnd = true;
    else if (name === 'multiplier') jump.multiplier = parseNumber(arg ?? '', 'byte_jump multiplier', MAX_OFFSET, 1);
    else if (name === 'post_offset')
      jump.postOffset = parseSignedNumber(arg ?? '', 'byte_jump post_offset', MAX_OFFSET);
    else throw new RuleValueError(`byte_jump has an unknown flag '${flag}'`);
  }
  return jump;
}
