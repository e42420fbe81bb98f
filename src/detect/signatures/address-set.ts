/**
 * @module
 * Address sets of rule headers: `any`, IPv4 and IPv6 addresses and CIDRs
 * (IPv4 also with a dotted netmask), lists and negations. IPv4 compiles to
 * sorted ranges searched by binary search; IPv6 (rare on darknets) to a small
 * predicate over the 16 address bytes.
 */
import { RuleValueError, UnsupportedRuleError } from './errors.js';
import { isAny, parseListSpec, type ListSpec } from './list-spec.js';
import { inBounds, normalise, subtract, toBounds, type Range } from './ranges.js';
import { parseIpv4, parseIpv6 } from '../../util/ip-address.js';

const IPV4_MAX = 0xffffffff;
const IPV4_BITS = 32;
const IPV6_BITS = 128;
const ALL4: readonly Range[] = [[0, IPV4_MAX]];

type Ipv6Test = (bytes: Uint8Array, offset: number) => boolean;
/** How much of the IPv6 space a spec covers, for the "matches nothing" check. */
type Cover = 'all' | 'none' | 'some';

interface Compiled {
  v4: Range[];
  v6: Ipv6Test;
  v6Cover: Cover;
}

export class AddressSet {
  readonly text: string;
  private readonly v4: Float64Array;
  private readonly v6: Ipv6Test;

  constructor(text: string, compiled: Compiled) {
    this.text = text;
    this.v4 = toBounds(compiled.v4);
    this.v6 = compiled.v6;
  }

  has4(address: number): boolean {
    return inBounds(this.v4, address);
  }

  /** The 16 bytes at `offset` of `bytes` (a batch's `src6`/`dst6` column). */
  has6(bytes: Uint8Array, offset: number): boolean {
    return this.v6(bytes, offset);
  }
}

/** Parses an expanded address spec; null for `any`. */
export function parseAddressSet(text: string): AddressSet | null {
  const spec = parseListSpec(text, 'address');
  if (isAny(spec)) return null;
  const compiled = evaluate(spec);
  if (compiled.v4.length === 0 && compiled.v6Cover === 'none') {
    // A valid rule under other variables (`![$SMTP_SERVERS,$DNS_SERVERS]` with the
    // darknet's `any`), so skipped with a reason rather than an error, as Suricata refuses it.
    throw new UnsupportedRuleError('address', `'${text}' matches no address with the current variables`);
  }
  return new AddressSet(text, compiled);
}

function evaluate(spec: ListSpec): Compiled {
  let result: Compiled;
  if (spec.kind === 'atom') result = atom(spec.text);
  else {
    const positive = spec.items.filter((item) => !item.negated).map(evaluate);
    const negative = spec.items.filter((item) => item.negated).map((item) => evaluate({ ...item, negated: false }));
    const pos: Compiled = positive.length === 0 ? everything() : union(positive);
    result = negative.length === 0 ? pos : difference(pos, union(negative));
  }
  return spec.negated ? difference(everything(), result) : result;
}

function everything(): Compiled {
  return { v4: [...ALL4], v6: () => true, v6Cover: 'all' };
}

function union(parts: Compiled[]): Compiled {
  const tests = parts.map((part) => part.v6);
  const covers = parts.map((part) => part.v6Cover);
  return {
    v4: normalise(parts.flatMap((part) => part.v4)),
    v6: tests.length === 1 ? tests[0]! : (bytes, offset) => tests.some((test) => test(bytes, offset)),
    v6Cover: covers.includes('all') ? 'all' : covers.every((c) => c === 'none') ? 'none' : 'some',
  };
}

function difference(a: Compiled, b: Compiled): Compiled {
  let cover: Cover = 'some';
  if (b.v6Cover === 'all' || a.v6Cover === 'none') cover = 'none';
  else if (b.v6Cover === 'none') cover = a.v6Cover;
  return {
    v4: subtract(a.v4, b.v4),
    v6: (bytes, offset) => a.v6(bytes, offset) && !b.v6(bytes, offset),
    v6Cover: cover,
  };
}

function atom(text: string): Compiled {
  if (text === 'any') return everything();
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const mask = slash < 0 ? null : text.slice(slash + 1);
  if (address.includes(':')) return ipv6Atom(text, address, mask);
  let value: number;
  try {
    value = parseIpv4(address);
  } catch (cause: unknown) {
    throw new RuleValueError(
      `Address '${text}' is neither IPv4 nor IPv6${cause instanceof Error ? `: ${cause.message}` : ''}`,
    );
  }
  const bits = mask === null ? IPV4_BITS : ipv4PrefixBits(mask, text);
  const size = 2 ** (IPV4_BITS - bits);
  const lo = value - (value % size);
  return { v4: [[lo, lo + size - 1]], v6: () => false, v6Cover: 'none' };
}

function ipv4PrefixBits(mask: string, text: string): number {
  if (/^\d{1,2}$/.test(mask) && Number(mask) <= IPV4_BITS) return Number(mask);
  if (mask.includes('.')) {
    const value = parseIpv4(mask);
    const bits = 32 - Math.log2(IPV4_MAX - value + 1);
    if (Number.isInteger(bits)) return bits;
  }
  throw new RuleValueError(`Address '${text}' has an invalid IPv4 prefix or netmask`);
}

function ipv6Atom(text: string, address: string, mask: string | null): Compiled {
  let prefix: Uint8Array;
  try {
    prefix = parseIpv6(address);
  } catch {
    throw new RuleValueError(`Address '${text}' is not a valid IPv6 address`);
  }
  const bits = mask === null ? IPV6_BITS : Number(mask);
  if (mask !== null && (!/^\d{1,3}$/.test(mask) || bits > IPV6_BITS)) {
    throw new RuleValueError(`Address '${text}' has an invalid IPv6 prefix length`);
  }
  const whole = bits >> 3;
  const rest = bits & 7;
  const lastMask = (0xff << (8 - rest)) & 0xff;
  const test: Ipv6Test = (bytes, offset) => {
    for (let k = 0; k < whole; k++) if (bytes[offset + k] !== prefix[k]) return false;
    return rest === 0 || ((bytes[offset + whole]! ^ prefix[whole]!) & lastMask) === 0;
  };
  return { v4: [], v6: test, v6Cover: bits === 0 ? 'all' : 'some' };
}
