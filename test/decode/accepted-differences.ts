/**
 * @module
 * Where teiten's decoded columns deliberately differ from what tshark prints,
 * keyed by reason. The agreement suite looks every difference up here: it is
 * accepted (and counted, and the counts printed) only when its kind is listed
 * and its guard holds for the packet; anything else is a mismatch. Nothing is
 * skipped silently.
 */
import { DecodeStatus, PacketFlag, type PacketBatch } from '../../src/decode/index.js';

export interface AcceptedDifference {
  /** Why the two decoders legitimately disagree. */
  reason: string;
  /** The packets the difference may occur on; elsewhere it is a mismatch. */
  applies: (batch: PacketBatch, i: number) => boolean;
}

/** The frame was cut by the snaplen, or teiten found it malformed (not merely non-IP). */
const cutOrMalformed = (batch: PacketBatch, i: number): boolean => {
  const status = batch.status[i];
  return batch.capLen[i]! < batch.wireLen[i]! || (status !== DecodeStatus.OK && status !== DecodeStatus.NON_IP);
};

export const ACCEPTED_DIFFERENCES = {
  partialHeader: {
    reason:
      'A header cut short by the snaplen, or a malformed packet: tshark prints whichever fields the bytes still ' +
      "hold and stops where it meets a fault, while teiten fills a header's columns only once the header is " +
      'complete; a field only one of them decoded is not compared, values both decoded must still agree',
    applies: cutOrMalformed,
  },
  tunnel: {
    reason:
      'tshark decodes a packet carried inside a transport payload (a tunnel, or a protocol it guesses by port); ' +
      "teiten stops at the outer transport header, so only the outer layers and an ICMP error's quote are compared",
    applies: () => true,
  },
  reservedTcpBits: {
    reason:
      "tshark's tcp.flags includes the three reserved bits above NS; teiten's tcpFlags column keeps the nine defined " +
      "flags, so tshark's value is compared masked to 0x1ff",
    applies: () => true,
  },
  badIpLength: {
    reason:
      'An IP total/payload length the frame contradicts (BAD_IP_LENGTH). Below the header length, tshark stops at ' +
      "the length field and prints no later field, while teiten keeps the header's fields; beyond the frame, " +
      'teiten does not decode above a header whose length it cannot trust, while tshark decodes a transport header ' +
      'from whatever bytes follow',
    applies: (batch, i) => batch.status[i] === DecodeStatus.BAD_IP_LENGTH,
  },
  bogusTcpDataOffset: {
    reason:
      "A TCP data offset below 5 (BAD_TCP_HEADER): tshark prints the bogus header length; teiten's tcpHdrLen holds " +
      'only real header lengths (20..60) and stays 0',
    applies: (batch, i) => batch.status[i] === DecodeStatus.BAD_TCP_HEADER,
  },
  jumbogram: {
    reason:
      'IPv6 payload length 0 with a hop-by-hop header: teiten takes it for a jumbogram (RFC 2675) running to the ' +
      'end of the frame and decodes on; tshark accepts a jumbogram only with a valid jumbo payload option ' +
      '(length 65536 or more) and otherwise calls the packet malformed, so nothing above the IPv6 addresses is compared',
    applies: (batch, i) => (batch.pflags[i]! & PacketFlag.IPV6_EXT) !== 0,
  },
} satisfies Record<string, AcceptedDifference>;

export type DifferenceKind = keyof typeof ACCEPTED_DIFFERENCES;
