/**
 * @module
 * The parsed, supported form of one signature: plain data that the compiler
 * groups and the matcher evaluates. Every field is decided at load time, so
 * matching a packet reads numbers and byte arrays only.
 */
import type { AddressSet } from './address-set.js';
import type { RuleOrigin } from './errors.js';
import type { PortSet } from './port-set.js';

/** Comparison operators of numeric keywords (`ttl:<5`, `dsize:10<>20`, `itype:!8`); see numeric-test.ts. */
export const Compare = {
  EQ: 0,
  NE: 1,
  LT: 2,
  GT: 3,
  LE: 4,
  GE: 5,
  /** `a<>b` or `a-b`: strictly between (Suricata 7). */
  BETWEEN: 6,
  /** `!a<>b`: outside the open range. */
  NOT_BETWEEN: 7,
} as const;
export type CompareOp = (typeof Compare)[keyof typeof Compare];

/** A number compared with `op` against `a` (and `b` for ranges). */
export interface NumericTest {
  op: CompareOp;
  a: number;
  b: number;
}

/** The packet field a `PacketTest` reads. */
export const PacketField = {
  TTL: 0,
  IP_ID: 1,
  TCP_SEQ: 2,
  TCP_ACK: 3,
  TCP_WINDOW: 4,
  ICMP_TYPE: 5,
  ICMP_CODE: 6,
  IP_PROTO: 7,
  DSIZE: 8,
  ICMP_ID: 9,
  ICMP_SEQ: 10,
  /** TCP flags with a modifier: `a` the flags, `b` the bits considered, `op` a `FlagMode`. */
  TCP_FLAGS: 11,
  /** IP fragment bits (M, D) with a modifier, like flags. */
  FRAG_BITS: 12,
  /** `sameip`: source equals destination. */
  SAME_IP: 13,
  /** `teiten_conficker_p2p`: the destination port is a Conficker.C P2P port of the destination (see conficker-ports.ts). */
  CONFICKER_P2P: 14,
} as const;
export type PacketFieldCode = (typeof PacketField)[keyof typeof PacketField];

/** How `flags`/`fragbits` compare (Suricata's modifiers). */
export const FlagMode = {
  /** No modifier: exactly these bits (among the considered ones). */
  EXACT: 0,
  /** `+`: these bits and possibly others. */
  ALL: 1,
  /** `*`: any of these bits. */
  ANY: 2,
  /** `!`: not all of these bits. */
  NOT: 3,
} as const;

export interface PacketTest extends NumericTest {
  field: PacketFieldCode;
}

/** One `content` with its modifiers, bytes decoded from text and `|hex|`. */
export interface ContentMatch {
  kind: 'content';
  bytes: Uint8Array;
  nocase: boolean;
  negated: boolean;
  /** Absolute start (`offset`), 0 when not given. */
  offset: number;
  /** Bytes from the start (or from the previous match when relative) to search; 0 means no limit. */
  depth: number;
  /** Set when `distance` or `within` makes the match relative to the previous one. */
  relative: boolean;
  distance: number;
  /** 0 means not given. */
  within: number;
  /** Suricata `startswith`/`endswith`. */
  endsWith: boolean;
  /** `fast_pattern` given; `fastChunk` is its `offset,length` part or null. */
  fastPattern: boolean;
  fastChunk: readonly [number, number] | null;
}

/** `pcre`, translated to a JavaScript RegExp over the latin1 text of the payload. */
export interface PcreMatch {
  kind: 'pcre';
  regex: RegExp;
  negated: boolean;
  relative: boolean;
  /** The rule's text of the option, for messages. */
  source: string;
}

/** `isdataat:[!]N[,relative]`. */
export interface IsDataAt {
  kind: 'isdataat';
  at: number;
  relative: boolean;
  negated: boolean;
}

/** How `byte_test`/`byte_jump` read a number from the payload. */
export interface ByteRead {
  bytes: number;
  offset: number;
  relative: boolean;
  bigEndian: boolean;
  /** 0 for binary, else 8, 10 or 16 for `string,oct|dec|hex`. */
  base: number;
  /** 0 means none. */
  bitmask: number;
}

export interface ByteTest extends ByteRead {
  kind: 'byte_test';
  /** `Compare` op or one of the bitwise `ByteTestOp`s. */
  op: number;
  negated: boolean;
  value: number;
}

/** Bitwise operators of `byte_test` beyond `Compare`. */
export const ByteTestOp = { AND: 16, OR: 17 } as const;

export interface ByteJump extends ByteRead {
  kind: 'byte_jump';
  multiplier: number;
  align: boolean;
  fromBeginning: boolean;
  fromEnd: boolean;
  postOffset: number;
}

export type PayloadMatch = ContentMatch | PcreMatch | IsDataAt | ByteTest | ByteJump;

export type ThresholdType = 'limit' | 'threshold' | 'both' | 'detection_filter';
export type ThresholdTrack = 'by_src' | 'by_dst' | 'by_rule' | 'by_both';

export interface ThresholdSpec {
  type: ThresholdType;
  track: ThresholdTrack;
  count: number;
  seconds: number;
}

/** Header protocols the engine matches; `ip` is every IP packet. */
export type RuleProtocol = 'ip' | 'tcp' | 'udp' | 'icmp' | 'icmpv6';

/** One supported rule, ready to compile. */
export interface SignatureRule {
  sid: number;
  gid: number;
  rev: number;
  msg: string;
  classtype: string | null;
  priority: number | null;
  metadata: readonly string[];
  references: readonly string[];
  protocol: RuleProtocol;
  /** null means `any`. */
  src: AddressSet | null;
  dst: AddressSet | null;
  sport: PortSet | null;
  dport: PortSet | null;
  /** `<>`: the header also matches with source and destination swapped. */
  bidirectional: boolean;
  tests: readonly PacketTest[];
  /** Payload keywords in rule order. */
  payload: readonly PayloadMatch[];
  threshold: ThresholdSpec | null;
  origin: RuleOrigin;
  /**
   * Notes on how a keyword was read that an analyst should know, e.g. that
   * `flow:established` was assumed (only with `assumeEstablished`).
   */
  notes: readonly string[];
}

/** A rule that parsed but was not loaded, and why. */
export interface SkippedRule {
  file: string;
  line: number;
  sid: number | null;
  msg: string | null;
  /** The unsupported keyword as written (`http.uri`, `flow:established`, `protocol http` …). */
  keyword: string;
  reason: string;
}
