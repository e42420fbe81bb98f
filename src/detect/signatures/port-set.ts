/**
 * @module
 * Port sets of rule headers: `any`, `80`, `1024:`, `:1023`, `6000:6010`,
 * lists and negations, compiled to sorted ranges.
 */
import { RuleValueError } from './errors.js';
import { isAny, parseListSpec, type ListSpec } from './list-spec.js';
import { inBounds, normalise, rangeSize, subtract, toBounds, type Range } from './ranges.js';

const MAX_PORT = 65535;
const ALL: readonly Range[] = [[0, MAX_PORT]];

export class PortSet {
  readonly ranges: readonly Range[];
  readonly size: number;
  private readonly bounds: Float64Array;

  constructor(ranges: readonly Range[]) {
    this.ranges = normalise(ranges);
    this.size = rangeSize(this.ranges);
    this.bounds = toBounds(this.ranges);
  }

  has(port: number): boolean {
    return inBounds(this.bounds, port);
  }

  toString(): string {
    return this.ranges.map(([lo, hi]) => (lo === hi ? String(lo) : `${lo}:${hi}`)).join(',');
  }
}

/** Parses an expanded port spec; null for `any`. */
export function parsePortSet(text: string): PortSet | null {
  const spec = parseListSpec(text, 'port');
  if (isAny(spec)) return null;
  const ranges = evaluate(spec);
  if (ranges.length === 0) throw new RuleValueError(`Port '${text}' matches no port`);
  return new PortSet(ranges);
}

function evaluate(spec: ListSpec): Range[] {
  let set: Range[];
  if (spec.kind === 'atom') set = atom(spec.text);
  else {
    const positive = spec.items.filter((item) => !item.negated);
    const negative = spec.items.filter((item) => item.negated);
    set = positive.length === 0 ? [...ALL] : normalise(positive.flatMap(evaluate));
    if (negative.length > 0) {
      set = subtract(set, normalise(negative.flatMap((item) => evaluate({ ...item, negated: false }))));
    }
  }
  return spec.negated ? subtract(ALL, set) : set;
}

function atom(text: string): Range[] {
  if (text === 'any') return [...ALL];
  const colon = text.indexOf(':');
  if (colon < 0) {
    const port = portNumber(text, text);
    return [[port, port]];
  }
  const lo = colon === 0 ? 0 : portNumber(text.slice(0, colon), text);
  const hi = colon === text.length - 1 ? MAX_PORT : portNumber(text.slice(colon + 1), text);
  if (lo > hi) throw new RuleValueError(`Port range '${text}' runs backwards`);
  return [[lo, hi]];
}

function portNumber(text: string, whole: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > MAX_PORT) throw new RuleValueError(`Port '${whole}' is not a port number (0-65535)`);
  return n;
}
