/**
 * @module
 * Payload templates of the planted families, built once per stream; the
 * writers patch the few bytes that change per packet (transaction ids, node
 * ids) in place. The worm payloads carry the markers signatures look for
 * (Slammer's 0x04 first byte, length 376 and strings; Nachi's 0xAA fill)
 * but no working code.
 */

/** Slammer's UDP payload length (404-byte IP packets). */
export const SLAMMER_LENGTH = 376;
/** Nachi/Welchia pings carry 64 bytes of 0xAA. */
export const NACHI_LENGTH = 64;
export const NACHI_FILL = 0xaa;
/** Offsets of per-packet fields in the templates. */
export const DHT_NODE_ID_OFFSET = 12;
export const DHT_NODE_ID_LENGTH = 20;
export const DNS_ID_OFFSET = 0;
export const MSRPC_ACTIVITY_OFFSET = 40;

const SLAMMER_FILL_END = 97;
const DNS_TYPE_ANY = 255;
const DNS_TYPE_NS = 2;
const DNS_CLASS_IN = 1;
const DNS_FLAGS_QUERY_RD = 0x0100;
const DNS_FLAGS_ANSWER = 0x8180;
const ROOT_NS_TTL = 518_400;
const ROOT_SERVERS = 'abcdefghijklm';

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0) & 0xff);

/**
 * A Slammer-shaped datagram: 0x04 (SSRP "request"), a run of 0x01 as in the
 * overflow, then the strings and byte sequence rules match on, padded with
 * NOP bytes to 376. Not executable.
 */
export function slammerPayload(): Uint8Array {
  const out = new Uint8Array(SLAMMER_LENGTH).fill(0x90);
  out[0] = 0x04;
  out.fill(0x01, 1, SLAMMER_FILL_END);
  const markers = [
    0x81,
    0xf1,
    0x03,
    0x01,
    0x04,
    0x9b,
    0x81,
    0xf1,
    0x01,
    ...ascii('hws2_32.dllhel32hkernQhounthickChGetTf'),
    ...ascii('hsockf'),
    0x00,
    ...ascii('send'),
    0x00,
    ...ascii('GetProcAddress'),
    0x00,
  ];
  out.set(markers, SLAMMER_FILL_END + 16);
  return out;
}

export function nachiPayload(): Uint8Array {
  return new Uint8Array(NACHI_LENGTH).fill(NACHI_FILL);
}

/** The 32 bytes Windows `ping` sends. */
export function windowsPingPayload(): Uint8Array {
  return Uint8Array.from(ascii('abcdefghijklmnopqrstuvwabcdefghi'));
}

/** A Linux `ping` payload after the timestamp: 56 bytes 0x00..0x37. */
export function echoReplyPayload(): Uint8Array {
  return Uint8Array.from({ length: 56 }, (_, k) => k);
}

/** Unix traceroute's 32-byte payload: 0x40, 0x41, … */
export function traceroutePayload(): Uint8Array {
  return Uint8Array.from({ length: 32 }, (_, k) => 0x40 + k);
}

/** `d1:ad2:id20:<node id>e1:q4:ping1:t2:<tid>1:y1:qe`; node id at 12, tid at 47. */
export function dhtPingPayload(): Uint8Array {
  return Uint8Array.from([
    ...ascii('d1:ad2:id20:'),
    ...new Array<number>(DHT_NODE_ID_LENGTH).fill(0x61),
    ...ascii('e1:q4:ping1:t2:aa1:y1:qe'),
  ]);
}
export const DHT_TID_OFFSET = 12 + DHT_NODE_ID_LENGTH + 'e1:q4:ping1:t2:'.length;

function u16(value: number): number[] {
  return [value >>> 8, value & 0xff];
}

function u32(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/** Wire form of a domain name (`example.org` → 7example3org0; `.` → 0). */
export function dnsName(name: string): number[] {
  const labels = name.split('.').filter((l) => l.length > 0);
  const out: number[] = [];
  for (const label of labels) {
    if (label.length > 63) throw new RangeError(`Cannot encode DNS name "${name}": label "${label}" is longer than 63`);
    out.push(label.length, ...ascii(label));
  }
  out.push(0);
  return out;
}

/** A query for all records (QTYPE ANY) of `qname`, recursion desired; id at 0. */
export function dnsAnyQuery(qname: string): Uint8Array {
  return Uint8Array.from([
    ...u16(0),
    ...u16(DNS_FLAGS_QUERY_RD),
    ...u16(1),
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...dnsName(qname),
    ...u16(DNS_TYPE_ANY),
    ...u16(DNS_CLASS_IN),
  ]);
}

/**
 * The answer a resolver gives to `ANY .`: the 13 root name servers, the
 * classic amplification reply of 2009–2010 (about 250 bytes from a 17-byte
 * query). Id at 0.
 */
export function dnsRootAnyAnswer(): Uint8Array {
  const question = [...dnsName('.'), ...u16(DNS_TYPE_ANY), ...u16(DNS_CLASS_IN)];
  const answers: number[] = [];
  for (const letter of ROOT_SERVERS) {
    const rdata = [1, letter.charCodeAt(0), 12, ...ascii('root-servers'), 3, ...ascii('net'), 0];
    answers.push(0, ...u16(DNS_TYPE_NS), ...u16(DNS_CLASS_IN), ...u32(ROOT_NS_TTL), ...u16(rdata.length), ...rdata);
  }
  return Uint8Array.from([
    ...u16(0),
    ...u16(DNS_FLAGS_ANSWER),
    ...u16(1),
    ...u16(ROOT_SERVERS.length),
    ...u16(0),
    ...u16(0),
    ...question,
    ...answers,
  ]);
}

/** Windows Messenger service interface 5a7b91f8-ff00-11d0-a9b2-00c04fb6e6fc, little-endian fields. */
const MESSENGER_UUID = [0xf8, 0x91, 0x7b, 0x5a, 0x00, 0xff, 0xd0, 0x11, 0xa9, 0xb2, 0x00, 0xc0, 0x4f, 0xb6, 0xe6, 0xfc];
const DCE_HEADER_LENGTH = 80;

function ndrString(text: string): number[] {
  const chars = ascii(`${text}\0`);
  const out = [...le32(chars.length), ...le32(0), ...le32(chars.length), ...chars];
  while (out.length % 4 !== 0) out.push(0);
  return out;
}

function le32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24];
}

/**
 * A connectionless DCE/RPC request (version 4) to the Messenger interface,
 * opnum 0 (NetrSendMessage): from, to, text. The activity UUID at 40 is
 * patched per packet.
 */
export function messengerPayload(): Uint8Array {
  const body = [
    ...ndrString('Security Center'),
    ...ndrString('User'),
    ...ndrString('WINDOWS REQUIRES IMMEDIATE ATTENTION. Visit the address below to repair your system.'),
  ];
  const header = new Array<number>(DCE_HEADER_LENGTH).fill(0);
  header[0] = 4; // RPC version 4: connectionless
  header[1] = 0; // packet type: request
  header[2] = 0x28; // flags: idempotent, no fragment ack
  header[4] = 0x10; // data representation: little-endian, ASCII, IEEE
  header.splice(24, 16, ...MESSENGER_UUID);
  header.splice(60, 4, ...le32(1)); // interface version (server boot time at 56 stays 0)
  header.splice(70, 2, 0xff, 0xff); // interface hint (opnum 0 at 68)
  header.splice(72, 2, 0xff, 0xff); // activity hint
  header.splice(74, 2, body.length & 0xff, body.length >>> 8);
  return Uint8Array.from([...header, ...body]);
}

/** Bytes of a hex string (validated by the schema). */
export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from({ length: hex.length / 2 }, (_, k) => Number.parseInt(hex.slice(k * 2, k * 2 + 2), 16));
}
