/**
 * @module
 * Numeric keyword values (`ttl`, `dsize`, `itype`, `id`, `window` …) in
 * Suricata's unsigned-integer syntax: `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`,
 * and the ranges `a<>b` and `a-b`, both strictly between `a` and `b` (as
 * Suricata 7 reads them), with `!` negating a range.
 */
import { RuleValueError } from './errors.js';
import { Compare, type CompareOp, type NumericTest } from './rule-types.js';

const NUMBER = /^(0x[0-9a-fA-F]+|\d+)$/;

export function parseNumber(text: string, what: string, max: number, min = 0): number {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) throw new RuleValueError(`${what} '${text}' is not a number`);
  const n = Number(trimmed);
  if (n < min || n > max) throw new RuleValueError(`${what} ${n} is out of range (${min}-${max})`);
  return n;
}

export function parseSignedNumber(text: string, what: string, limit: number): number {
  const trimmed = text.trim();
  const negative = trimmed.startsWith('-');
  const n = parseNumber(negative ? trimmed.slice(1) : trimmed, what, limit);
  return negative ? -n : n;
}

/** Parses a numeric test whose values lie in `[0, max]`. */
export function parseNumericTest(value: string | null, what: string, max: number): NumericTest {
  if (value === null || value.trim() === '') throw new RuleValueError(`${what} needs a value`);
  let text = value.replace(/\s+/g, '');
  let negated = false;
  if (text.startsWith('!')) {
    negated = true;
    text = text.slice(1);
  }
  const range = /^(\w+)(<>|-)(\w+)$/.exec(text);
  if (range !== null) {
    const a = parseNumber(range[1]!, what, max);
    const b = parseNumber(range[3]!, what, max);
    if (a >= b) throw new RuleValueError(`${what} range '${value}' is empty`);
    return { op: negated ? Compare.NOT_BETWEEN : Compare.BETWEEN, a, b };
  }
  const compare = /^(<=|>=|<|>|=)?(\w+)$/.exec(text);
  if (compare === null) throw new RuleValueError(`${what} '${value}' is not a number or comparison`);
  const ops: Record<string, CompareOp> = {
    '': Compare.EQ,
    '=': Compare.EQ,
    '<': Compare.LT,
    '>': Compare.GT,
    '<=': Compare.LE,
    '>=': Compare.GE,
  };
  const op = ops[compare[1] ?? '']!;
  if (negated && op !== Compare.EQ) throw new RuleValueError(`${what} '${value}': ! only negates a value or a range`);
  return { op: negated ? Compare.NE : op, a: parseNumber(compare[2]!, what, max), b: 0 };
}

/** Evaluates a numeric test (hot path: numbers only). */
export function compareNumber(op: number, value: number, a: number, b: number): boolean {
  switch (op) {
    case Compare.EQ:
      return value === a;
    case Compare.NE:
      return value !== a;
    case Compare.LT:
      return value < a;
    case Compare.GT:
      return value > a;
    case Compare.LE:
      return value <= a;
    case Compare.GE:
      return value >= a;
    case Compare.BETWEEN:
      return value > a && value < b;
    case Compare.NOT_BETWEEN:
      return value <= a || value >= b;
    default:
      return false;
  }
}
