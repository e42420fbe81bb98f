/**
 * @module
 * Dispatch of rules by protocol and port, so a packet meets only the rules
 * that can apply to it. Each protocol bucket (TCP, UDP, ICMP, ICMPv6, other
 * IP, later fragments) holds:
 *
 * - one Aho–Corasick automaton over the fast patterns of all its rules with
 *   content: one pass over a payload finds every such rule whose pattern
 *   occurs, whatever its ports (the header check follows), so a payload is
 *   scanned once, not once per port group;
 * - for rules without content: a group per destination port (rules with a
 *   narrow destination port set), a group per source port (narrow source
 *   ports only) and a generic group (any or wide ports, `<>` rules), each
 *   split by a packet key, the TCP flags byte in the TCP bucket and the ICMP
 *   type in the ICMP buckets, so a SYN never meets the FIN-scan rule.
 *
 * Every rule without content lands in exactly one group per bucket, so a
 * packet that visits its dport group, its sport group and the generic group
 * meets each rule at most once. Ports sharing the same rules share a group.
 */
import { IpProto } from '../../decode/index.js';
import { AhoCorasick } from './aho-corasick.js';
import { compareNumber } from './numeric-test.js';
import { flagsMatch } from './packet-match.js';
import type { PortSet } from './port-set.js';
import { PacketField, type ContentMatch, type SignatureRule } from './rule-types.js';

export const Bucket = { OTHER: 0, TCP: 1, UDP: 2, ICMP: 3, ICMPV6: 4, FRAGMENT: 5 } as const;
const BUCKETS = 6;
const PORTS = 65536;
/** A port set wider than this goes to the generic group rather than into thousands of port groups. */
const NARROW_PORTS = 4096;
const NO_GROUP = -1;
const MAX_GROUPS = 0x7fff;
const KEYS = 256;
const TCP_FLAG_BYTE = 0xff;

/** Bucket per IP protocol number (first fragments and unfragmented packets). */
export const BUCKET_OF_PROTOCOL: Uint8Array = (() => {
  const table = new Uint8Array(256).fill(Bucket.OTHER);
  table[IpProto.TCP] = Bucket.TCP;
  table[IpProto.UDP] = Bucket.UDP;
  table[IpProto.ICMP] = Bucket.ICMP;
  table[IpProto.ICMPV6] = Bucket.ICMPV6;
  return table;
})();

/** The content rules of a bucket, by fast pattern. */
export interface PatternIndex {
  automaton: AhoCorasick;
  /** Rules (ascending) per pattern id of the automaton. */
  patternRules: Int32Array[];
  /** Last packet epoch each pattern was seen in, to add its rules once per packet. */
  stamps: Uint32Array;
  /** Last packet epoch each automaton state's outputs were taken in (repeats cost one compare). */
  stateStamps: Uint32Array;
}

/** Rules without content for one port (or the generic group), per packet key; lists ascending and shared. */
export interface RuleGroup {
  always: Int32Array[];
}

export interface ProtocolBucket {
  patterns: PatternIndex | null;
  generic: RuleGroup | null;
  /** Group index per port, -1 for none (16-bit: the table stays small in cache). */
  byDport: Int16Array;
  bySport: Int16Array;
  groups: RuleGroup[];
}

/** The pattern a rule is prefiltered on: its `fast_pattern` content, else its longest positive content. */
export function fastPattern(rule: SignatureRule): Uint8Array | null {
  let best: ContentMatch | null = null;
  for (const m of rule.payload) {
    if (m.kind !== 'content' || m.negated) continue;
    if (m.fastPattern) {
      return m.fastChunk === null ? m.bytes : m.bytes.subarray(m.fastChunk[0], m.fastChunk[0] + m.fastChunk[1]);
    }
    if (best === null || m.bytes.length > best.bytes.length) best = m;
  }
  return best?.bytes ?? null;
}

function bucketsOf(rule: SignatureRule): number[] {
  const portless = rule.sport === null && rule.dport === null;
  switch (rule.protocol) {
    case 'tcp':
      return [Bucket.TCP];
    case 'udp':
      return [Bucket.UDP];
    case 'icmp':
      return [Bucket.ICMP];
    case 'icmpv6':
      return [Bucket.ICMPV6];
    case 'ip':
      return portless
        ? [Bucket.TCP, Bucket.UDP, Bucket.ICMP, Bucket.ICMPV6, Bucket.OTHER, Bucket.FRAGMENT]
        : [Bucket.TCP, Bucket.UDP];
  }
}

function isNarrow(set: PortSet | null): set is PortSet {
  return set !== null && set.size <= NARROW_PORTS;
}

/** Whether `rule`'s key-field tests can pass for key value `key` in `bucket`. */
function fitsKey(rule: SignatureRule, bucket: number, key: number): boolean {
  for (const test of rule.tests) {
    if (bucket === Bucket.TCP && test.field === PacketField.TCP_FLAGS && !flagsMatch(test.op, key, test.a, test.b))
      return false;
    if (
      (bucket === Bucket.ICMP || bucket === Bucket.ICMPV6) &&
      test.field === PacketField.ICMP_TYPE &&
      !compareNumber(test.op, key, test.a, test.b)
    ) {
      return false;
    }
  }
  return true;
}

function alwaysByKey(always: readonly number[], rules: readonly SignatureRule[], bucket: number): Int32Array[] {
  const shared = new Map<string, Int32Array>();
  return Array.from({ length: KEYS }, (_, key) => {
    const list = always.filter((r) => fitsKey(rules[r]!, bucket, key));
    const id = list.join(',');
    let array = shared.get(id);
    if (array === undefined) {
      array = Int32Array.from(list);
      shared.set(id, array);
    }
    return array;
  });
}

/** The packet's key for `alwaysByKey` lists in `bucket`. */
export function packetKey(bucket: number, tcpFlags: number, icmpType: number): number {
  if (bucket === Bucket.TCP) return tcpFlags & TCP_FLAG_BYTE;
  return bucket === Bucket.ICMP || bucket === Bucket.ICMPV6 ? icmpType : 0;
}

function buildPatternIndex(rules: readonly number[], patterns: readonly (Uint8Array | null)[]): PatternIndex | null {
  const patternIds = new Map<string, number>();
  const patternBytes: Uint8Array[] = [];
  const patternRules: number[][] = [];
  for (const r of rules) {
    const pattern = patterns[r]!;
    const key = Buffer.from(pattern).toString('latin1').toLowerCase();
    let id = patternIds.get(key);
    if (id === undefined) {
      id = patternBytes.length;
      patternIds.set(key, id);
      patternBytes.push(pattern);
      patternRules.push([]);
    }
    patternRules[id]!.push(r);
  }
  if (patternBytes.length === 0) return null;
  const automaton = new AhoCorasick(patternBytes);
  return {
    automaton,
    patternRules: patternRules.map((list) => Int32Array.from(list)),
    stamps: new Uint32Array(patternBytes.length),
    stateStamps: new Uint32Array(automaton.states),
  };
}

/** Groups rules (by index into `rules`) per protocol bucket and port. */
export function buildBuckets(rules: readonly SignatureRule[]): ProtocolBucket[] {
  const patterns = rules.map(fastPattern);
  const withContent: number[][] = Array.from({ length: BUCKETS }, () => []);
  const generic: number[][] = Array.from({ length: BUCKETS }, () => []);
  const dports: Array<Map<number, number[]>> = Array.from({ length: BUCKETS }, () => new Map());
  const sports: Array<Map<number, number[]>> = Array.from({ length: BUCKETS }, () => new Map());
  rules.forEach((rule, r) => {
    for (const bucket of bucketsOf(rule)) {
      if (patterns[r] !== null) {
        withContent[bucket]!.push(r);
        continue;
      }
      // `<>` rules match either way round, so neither port set alone selects them.
      const [byPort, set] = rule.bidirectional
        ? [null, null]
        : isNarrow(rule.dport)
          ? [dports[bucket]!, rule.dport]
          : isNarrow(rule.sport)
            ? [sports[bucket]!, rule.sport]
            : [null, null];
      if (byPort === null || set === null) {
        generic[bucket]!.push(r);
        continue;
      }
      for (const [lo, hi] of set.ranges) {
        for (let port = lo; port <= hi; port++) {
          const list = byPort.get(port);
          if (list === undefined) byPort.set(port, [r]);
          else list.push(r);
        }
      }
    }
  });
  return generic.map((genericRules, bucket) => {
    const groups: RuleGroup[] = [];
    const byKey = new Map<string, number>();
    const table = (ports: Map<number, number[]>): Int16Array => {
      const index = new Int16Array(PORTS).fill(NO_GROUP);
      for (const [port, list] of ports) {
        const key = list.join(',');
        let id = byKey.get(key);
        if (id === undefined) {
          id = groups.length;
          if (id > MAX_GROUPS) throw new RangeError(`Cannot group rules: more than ${MAX_GROUPS} distinct port groups`);
          byKey.set(key, id);
          groups.push({ always: alwaysByKey(list, rules, bucket) });
        }
        index[port] = id;
      }
      return index;
    };
    return {
      patterns: buildPatternIndex(withContent[bucket]!, patterns),
      generic: genericRules.length === 0 ? null : { always: alwaysByKey(genericRules, rules, bucket) },
      byDport: table(dports[bucket]!),
      bySport: table(sports[bucket]!),
      groups,
    };
  });
}
