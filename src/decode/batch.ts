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
  /** The capture record holds more bytes than the packet had on the wire, or than the file's snapshot length allows. */
  BAD_RECORD_LENGTH: 11,
} as const;

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

export type BatchColumn = Uint8Array | Uint16Array | Uint32Array | Float64Array;
export type BatchColumnType =
  Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | Float64ArrayConstructor;
/** Makes (or finds) the column `name` of a batch: `length` values of `type`. */
export type ColumnSupplier = (name: string, type: BatchColumnType, length: number) => BatchColumn;

/** The default supplier: a new array. */
export const newColumn: ColumnSupplier = (_name, type, length) => new (type as Float64ArrayConstructor)(length);

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

  /**
   * `column` supplies each column (by name, type and length) instead of a new
   * array: batches in shared memory (`ingest/shared-batch.ts`) are made so,
   * and stay instances of this class, which the hot loops are compiled for.
   */
  constructor(
    capacity = DEFAULT_BATCH_PACKETS,
    dataCapacity = DEFAULT_BATCH_BYTES,
    column: ColumnSupplier = newColumn,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Cannot create a packet batch: capacity is ${capacity}`);
    }
    this.capacity = capacity;
    this.data = column('data', Uint8Array, dataCapacity) as Uint8Array;
    this.frame = column('frame', Float64Array, capacity) as Float64Array;
    this.tsSec = column('tsSec', Float64Array, capacity) as Float64Array;
    this.tsNsec = column('tsNsec', Uint32Array, capacity) as Uint32Array;
    this.capLen = column('capLen', Uint32Array, capacity) as Uint32Array;
    this.wireLen = column('wireLen', Uint32Array, capacity) as Uint32Array;
    this.frameOff = column('frameOff', Uint32Array, capacity) as Uint32Array;
    this.status = column('status', Uint8Array, capacity) as Uint8Array;
    this.pflags = column('pflags', Uint8Array, capacity) as Uint8Array;
    this.ipVersion = column('ipVersion', Uint8Array, capacity) as Uint8Array;
    this.src4 = column('src4', Uint32Array, capacity) as Uint32Array;
    this.dst4 = column('dst4', Uint32Array, capacity) as Uint32Array;
    this.src6 = column('src6', Uint8Array, capacity * 16) as Uint8Array;
    this.dst6 = column('dst6', Uint8Array, capacity * 16) as Uint8Array;
    this.proto = column('proto', Uint8Array, capacity) as Uint8Array;
    this.ttl = column('ttl', Uint8Array, capacity) as Uint8Array;
    this.ipId = column('ipId', Uint32Array, capacity) as Uint32Array;
    this.ipLen = column('ipLen', Uint32Array, capacity) as Uint32Array;
    this.fragOffset = column('fragOffset', Uint32Array, capacity) as Uint32Array;
    this.sport = column('sport', Uint16Array, capacity) as Uint16Array;
    this.dport = column('dport', Uint16Array, capacity) as Uint16Array;
    this.tcpFlags = column('tcpFlags', Uint16Array, capacity) as Uint16Array;
    this.tcpSeq = column('tcpSeq', Uint32Array, capacity) as Uint32Array;
    this.tcpAck = column('tcpAck', Uint32Array, capacity) as Uint32Array;
    this.tcpWin = column('tcpWin', Uint16Array, capacity) as Uint16Array;
    this.tcpHdrLen = column('tcpHdrLen', Uint8Array, capacity) as Uint8Array;
    this.icmpType = column('icmpType', Uint8Array, capacity) as Uint8Array;
    this.icmpCode = column('icmpCode', Uint8Array, capacity) as Uint8Array;
    this.payloadOff = column('payloadOff', Uint32Array, capacity) as Uint32Array;
    this.payloadLen = column('payloadLen', Uint32Array, capacity) as Uint32Array;
    this.innerVersion = column('innerVersion', Uint8Array, capacity) as Uint8Array;
    this.innerProto = column('innerProto', Uint8Array, capacity) as Uint8Array;
    this.innerSrc4 = column('innerSrc4', Uint32Array, capacity) as Uint32Array;
    this.innerDst4 = column('innerDst4', Uint32Array, capacity) as Uint32Array;
    this.innerSrc6 = column('innerSrc6', Uint8Array, capacity * 16) as Uint8Array;
    this.innerDst6 = column('innerDst6', Uint8Array, capacity * 16) as Uint8Array;
    this.innerSport = column('innerSport', Uint16Array, capacity) as Uint16Array;
    this.innerDport = column('innerDport', Uint16Array, capacity) as Uint16Array;
  }
}
