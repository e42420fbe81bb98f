/**
 * @module
 * Walks an IPv6 extension header chain to the upper-layer protocol. Shared by
 * the IPv6 decoder and the ICMP quote decoder.
 *
 * The walk reports through the module-scope `ipv6Walk` record instead of
 * returning an object, so no packet allocates (the decoders are synchronous
 * and read it right after the call).
 */
import { DecodeStatus, IpProto } from './batch.js';

/** Upper bound on extension headers per packet; deeper chains are BAD_IPV6_EXT. */
export const MAX_IPV6_EXT_HEADERS = 16;

const IPPROTO_AH = 51;
const EXT_NONE = 0;
/** Generic layout: next header, length in 8-octet units not counting the first 8. */
const EXT_OCTETS8 = 1;
const EXT_FRAGMENT = 2;
/** Authentication header: length in 4-octet units not counting the first 2. */
const EXT_AH = 3;
const FRAGMENT_HEADER_LEN = 8;
/** Fragment offset sits in the top 13 bits, in 8-octet units: masking leaves bytes. */
const FRAG_OFFSET_MASK = 0xfff8;
const FRAG_MORE = 0x0001;

/** Extension header kind per next-header value; 0 for upper-layer protocols (incl. 59). */
const EXT_KIND = new Uint8Array(256);
EXT_KIND[IpProto.HOPOPT] = EXT_OCTETS8;
EXT_KIND[IpProto.IPV6_ROUTE] = EXT_OCTETS8;
EXT_KIND[IpProto.IPV6_OPTS] = EXT_OCTETS8;
EXT_KIND[IpProto.IPV6_FRAG] = EXT_FRAGMENT;
EXT_KIND[IPPROTO_AH] = EXT_AH;

/** Result of the last `walkIpv6Extensions` call. */
export const ipv6Walk = {
  /** Upper-layer protocol; on failure, the next-header value being walked. */
  proto: 0,
  /** Offset of the upper-layer header (or of the header that failed). */
  offset: 0,
  /** Extension headers walked. */
  count: 0,
  /** 1 when a fragment header was seen. */
  fragment: 0,
  /** Fragment offset in bytes, M flag (0/1) and identification of the last fragment header. */
  fragOffset: 0,
  fragMore: 0,
  fragId: 0,
};

/**
 * Walks from `off` (just after the fixed header) with first next-header `nh`.
 * Bytes are captured up to `end`; the payload length says the packet runs to
 * `fullEnd`. Stops at the first upper-layer protocol or at a non-first
 * fragment (whose payload holds no headers). Returns OK, TRUNCATED (a header
 * cut by the capture) or BAD_IPV6_EXT (past the payload or too deep).
 */
export function walkIpv6Extensions(view: DataView, off: number, end: number, fullEnd: number, nh: number): number {
  const walk = ipv6Walk;
  walk.count = 0;
  walk.fragment = 0;
  walk.fragOffset = 0;
  walk.fragMore = 0;
  walk.fragId = 0;
  let status: number = DecodeStatus.OK;
  let count = 0;
  for (;;) {
    const kind = EXT_KIND[nh]!;
    if (kind === EXT_NONE) break;
    if (count === MAX_IPV6_EXT_HEADERS) {
      status = DecodeStatus.BAD_IPV6_EXT;
      break;
    }
    if (kind === EXT_FRAGMENT) {
      if (off + FRAGMENT_HEADER_LEN > end) {
        status = chainCut(off + FRAGMENT_HEADER_LEN, fullEnd);
        break;
      }
      const field = view.getUint16(off + 2);
      walk.fragment = 1;
      walk.fragOffset = field & FRAG_OFFSET_MASK;
      walk.fragMore = field & FRAG_MORE;
      walk.fragId = view.getUint32(off + 4);
      nh = view.getUint8(off);
      off += FRAGMENT_HEADER_LEN;
      count++;
      // A non-first fragment carries the middle of the payload: nothing to walk.
      if (walk.fragOffset !== 0) break;
      continue;
    }
    if (off + 2 > end) {
      status = chainCut(off + 2, fullEnd);
      break;
    }
    const units = view.getUint8(off + 1);
    const len = kind === EXT_AH ? (units + 2) * 4 : (units + 1) * 8;
    if (off + len > end) {
      status = chainCut(off + len, fullEnd);
      break;
    }
    nh = view.getUint8(off);
    off += len;
    count++;
  }
  walk.proto = nh;
  walk.offset = off;
  walk.count = count;
  return status;
}

function chainCut(needEnd: number, fullEnd: number): number {
  return needEnd <= fullEnd ? DecodeStatus.TRUNCATED : DecodeStatus.BAD_IPV6_EXT;
}
