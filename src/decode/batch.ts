/**
 * @module
 * `PacketBatch`: the one definition of decoded packets that every later stage
 * (classify, detect, store) reads. Columnar: one typed array per field, so the
 * hot paths never allocate an object per packet.
 *
 * Index `i` in every column is the same packet; only `[0, length)` is valid.
 * A field that does not apply to a packet (ports of ICMP, flags of UDP) is 0.
 */

/** Why a packet was not fully decoded. `OK` and `NON_IP` are not malformed. */
export const DecodeStatus = {
  OK: 0,
  /** A link-layer frame that carries no IP (ARP, LLDP, …); counted, not malformed. */
  NON_IP: 1,
  /** The capture's snaplen cut the packet inside a header we needed. */
  TRUNCATED: 2,
  /** Link-layer header shorter than its fixed size. */
  BAD_LINK: 3,
  /** IP version nibble is neither 4 nor 6 (or disagrees with the link's protocol field). */
  BAD_IP_VERSION: 4,
  /** IPv4 IHL below 5 or past the end of the packet. */
  BAD_IHL: 5,
  /** IP total/payload length smaller than the header or larger than the frame. */
  BAD_IP_LENGTH: 6,
  /** IPv6 extension header chain runs past the packet or loops too deep. */
  BAD_IPV6_EXT: 7,
  /** TCP data offset below 5 or past the end of the IP payload. */
  BAD_TCP_HEADER: 8,
  /** UDP length field below 8 or larger than the IP payload. */
  BAD_UDP_LENGTH: 9,
  /** Transport header shorter than its fixed size within the IP payload. */
  SHORT_L4: 10,
} as const;
export type DecodeStatusCode = (typeof DecodeStatus)[keyof typeof DecodeStatus];

/** Stable names of the status codes, indexed by code, for reports and `capinfo`. */
export const DECODE_STATUS_NAMES: readonly string[] = Object.entries(DecodeStatus)
  .sort((a, b) => a[1] - b[1])
  .map(([name]) => name.toLowerCase());

/** Bits of the `pflags` column. */
export const PacketFlag = {
  /** A non-first IP fragment: it carries no transport header, so ports are 0. */
  FRAGMENT: 1 << 0,
  /** IPv4 MF bit or IPv6 fragment header M bit. */
  MORE_FRAGMENTS: 1 << 1,
  /** IPv4 DF bit. */
  DONT_FRAGMENT: 1 << 2,
  /** IPv4 header carries options (IHL > 5). */
  IP_OPTIONS: 1 << 3,
  /** TCP header carries options (data offset > 5). */
  TCP_OPTIONS: 1 << 4,
  /** An ICMP/ICMPv6 error whose quoted packet was decoded into the inner* columns. */
  HAS_INNER: 1 << 5,
  /** The packet was an IPv6 packet with at least one extension header. */
  IPV6_EXT: 1 << 6,
} as const;

/** TCP flag bits as in the header's flags field (NS is bit 8). */
export const TcpFlag = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  NS: 0x100,
} as const;

export const IpProto = {
  HOPOPT: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  IPV6_ROUTE: 43,
  IPV6_FRAG: 44,
  ICMPV6: 58,
  IPV6_NONXT: 59,
  IPV6_OPTS: 60,
} as const;

export const DEFAULT_BATCH_PACKETS = 8192;
export const DEFAULT_BATCH_BYTES = 4 << 20;

export class PacketBatch {
  /** Number of valid packets. */
  length = 0;
  /** Bytes of `data` in use. */
  dataUsed = 0;
  readonly capacity: number;

  /** Copied frame bytes of every packet in the batch. */
  data: Uint8Array;

  /** 1-based ordinal of the packet in its capture. */
  readonly frame: Float64Array;
  /** Timestamp: whole seconds since the epoch plus nanoseconds (lossless ns). */
  readonly tsSec: Float64Array;
  readonly tsNsec: Uint32Array;
  readonly capLen: Uint32Array;
  readonly wireLen: Uint32Array;
  /** Offset of the frame in `data`. */
  readonly frameOff: Uint32Array;
  /** `DecodeStatus` code. */
  readonly status: Uint8Array;
  /** `PacketFlag` bits. */
  readonly pflags: Uint8Array;

  /** 4, 6, or 0 when no IP header was decoded. */
  readonly ipVersion: Uint8Array;
  /** IPv4 addresses as unsigned 32-bit integers (valid when ipVersion = 4). */
  readonly src4: Uint32Array;
  readonly dst4: Uint32Array;
  /** IPv6 addresses, 16 bytes per packet at `i * 16` (valid when ipVersion = 6). */
  readonly src6: Uint8Array;
  readonly dst6: Uint8Array;
  /** Upper-layer protocol (after IPv6 extension headers). */
  readonly proto: Uint8Array;
  /** IPv4 TTL or IPv6 hop limit. */
  readonly ttl: Uint8Array;
  /** IPv4 identification, or IPv6 fragment identification when present. */
  readonly ipId: Uint32Array;
  /** IPv4 total length, or IPv6 payload length + 40. */
  readonly ipLen: Uint32Array;
  /** Fragment offset in bytes. */
  readonly fragOffset: Uint32Array;

  readonly sport: Uint16Array;
  readonly dport: Uint16Array;
  /** `TcpFlag` bits. */
  readonly tcpFlags: Uint16Array;
  readonly tcpSeq: Uint32Array;
  readonly tcpAck: Uint32Array;
  readonly tcpWin: Uint16Array;
  /** TCP header length in bytes (20..60). */
  readonly tcpHdrLen: Uint8Array;
  readonly icmpType: Uint8Array;
  readonly icmpCode: Uint8Array;

  /** Transport payload (after TCP/UDP/ICMP header) as offset into `data` and captured length. */
  readonly payloadOff: Uint32Array;
  readonly payloadLen: Uint32Array;

  /** Packet quoted by an ICMP error (valid when pflags has HAS_INNER). */
  readonly innerVersion: Uint8Array;
  readonly innerProto: Uint8Array;
  readonly innerSrc4: Uint32Array;
  readonly innerDst4: Uint32Array;
  readonly innerSrc6: Uint8Array;
  readonly innerDst6: Uint8Array;
  readonly innerSport: Uint16Array;
  readonly innerDport: Uint16Array;

  constructor(capacity = DEFAULT_BATCH_PACKETS, dataCapacity = DEFAULT_BATCH_BYTES) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Cannot create a packet batch: capacity is ${capacity}`);
    }
    this.capacity = capacity;
    this.data = new Uint8Array(dataCapacity);
    this.frame = new Float64Array(capacity);
    this.tsSec = new Float64Array(capacity);
    this.tsNsec = new Uint32Array(capacity);
    this.capLen = new Uint32Array(capacity);
    this.wireLen = new Uint32Array(capacity);
    this.frameOff = new Uint32Array(capacity);
    this.status = new Uint8Array(capacity);
    this.pflags = new Uint8Array(capacity);
    this.ipVersion = new Uint8Array(capacity);
    this.src4 = new Uint32Array(capacity);
    this.dst4 = new Uint32Array(capacity);
    this.src6 = new Uint8Array(capacity * 16);
    this.dst6 = new Uint8Array(capacity * 16);
    this.proto = new Uint8Array(capacity);
    this.ttl = new Uint8Array(capacity);
    this.ipId = new Uint32Array(capacity);
    this.ipLen = new Uint32Array(capacity);
    this.fragOffset = new Uint32Array(capacity);
    this.sport = new Uint16Array(capacity);
    this.dport = new Uint16Array(capacity);
    this.tcpFlags = new Uint16Array(capacity);
    this.tcpSeq = new Uint32Array(capacity);
    this.tcpAck = new Uint32Array(capacity);
    this.tcpWin = new Uint16Array(capacity);
    this.tcpHdrLen = new Uint8Array(capacity);
    this.icmpType = new Uint8Array(capacity);
    this.icmpCode = new Uint8Array(capacity);
    this.payloadOff = new Uint32Array(capacity);
    this.payloadLen = new Uint32Array(capacity);
    this.innerVersion = new Uint8Array(capacity);
    this.innerProto = new Uint8Array(capacity);
    this.innerSrc4 = new Uint32Array(capacity);
    this.innerDst4 = new Uint32Array(capacity);
    this.innerSrc6 = new Uint8Array(capacity * 16);
    this.innerDst6 = new Uint8Array(capacity * 16);
    this.innerSport = new Uint16Array(capacity);
    this.innerDport = new Uint16Array(capacity);
  }
}
