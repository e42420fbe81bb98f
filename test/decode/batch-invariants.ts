/**
 * @module
 * What must hold for every `PacketBatch` `decodeCapture()` delivers, whatever
 * the input: frame numbering, frame and payload bounds inside the batch's
 * data, known status codes and versions, and the documented rule that a field
 * which does not apply to a packet is 0. Also a full row snapshot of a batch
 * (every column plus the frame bytes), for comparing decodes.
 */
import { DECODE_STATUS_NAMES, DecodeStatus, PacketFlag, type PacketBatch } from '../../src/decode/index.js';

const TCP_MIN_HEADER = 20;
const TCP_MAX_HEADER = 60;
const TCP_DEFINED_FLAGS = 0x1ff;
const ADDRESS_BYTES = 16;

/** Per-decode state the checks carry from batch to batch. */
export class BatchChecker {
  /** Frame number the next packet must have. */
  nextFrame = 1;
  packets = 0;
  /** Packets seen per status code. */
  readonly statuses = new Array<number>(DECODE_STATUS_NAMES.length).fill(0);
  readonly problems: string[] = [];

  /** Checks every packet of `batch`; problems are collected, not thrown, so one run reports them all. */
  check(batch: PacketBatch): void {
    const fail = (i: number, what: string): void => {
      if (this.problems.length < 10) this.problems.push(`frame ${batch.frame[i]} (slot ${i}): ${what}`);
    };
    if (batch.length < 1 || batch.length > batch.capacity)
      this.problems.push(`batch length ${batch.length} of capacity ${batch.capacity}`);
    if (batch.dataUsed > batch.data.length)
      this.problems.push(`dataUsed ${batch.dataUsed} > data ${batch.data.length}`);
    let prevEnd = 0;
    for (let i = 0; i < batch.length; i++) {
      if (batch.frame[i] !== this.nextFrame) fail(i, `frame number, expected ${this.nextFrame}`);
      this.nextFrame = batch.frame[i]! + 1;
      this.packets++;
      const off = batch.frameOff[i]!;
      const end = off + batch.capLen[i]!;
      if (off < prevEnd || end > batch.dataUsed)
        fail(i, `frame bytes [${off}, ${end}) outside [${prevEnd}, ${batch.dataUsed})`);
      prevEnd = end;
      const status = batch.status[i]!;
      if (status >= DECODE_STATUS_NAMES.length) fail(i, `unknown status ${status}`);
      else this.statuses[status] = this.statuses[status]! + 1;
      const pOff = batch.payloadOff[i]!;
      const pLen = batch.payloadLen[i]!;
      if ((pLen > 0 || pOff !== 0) && (pOff < off || pOff + pLen > end))
        fail(i, `payload [${pOff}, ${pOff + pLen}) outside frame [${off}, ${end})`);
      checkLayers(batch, i, status, fail);
    }
  }
}

function checkLayers(batch: PacketBatch, i: number, status: number, fail: (i: number, what: string) => void): void {
  const version = batch.ipVersion[i]!;
  const flags = batch.pflags[i]!;
  if (version !== 0 && version !== 4 && version !== 6) fail(i, `ipVersion ${version}`);
  if (status === DecodeStatus.OK && version === 0) fail(i, 'status OK without an IP header');
  if (version === 0) {
    const stale =
      batch.proto[i]! |
      batch.ttl[i]! |
      batch.src4[i]! |
      batch.sport[i]! |
      batch.dport[i]! |
      batch.tcpFlags[i]! |
      batch.icmpType[i]! |
      flags |
      batch.innerVersion[i]!;
    if (stale !== 0) fail(i, 'IP-level columns set on a packet without an IP header');
  }
  if (version !== 4 && (batch.src4[i]! | batch.dst4[i]!) !== 0) fail(i, 'IPv4 addresses on a non-IPv4 packet');
  if (version !== 6 && !allZero(batch.src6, i)) fail(i, 'IPv6 source on a non-IPv6 packet');
  const hdr = batch.tcpHdrLen[i]!;
  if (hdr !== 0 && (hdr < TCP_MIN_HEADER || hdr > TCP_MAX_HEADER || hdr % 4 !== 0)) fail(i, `tcpHdrLen ${hdr}`);
  if (batch.tcpFlags[i]! > TCP_DEFINED_FLAGS) fail(i, `tcpFlags 0x${batch.tcpFlags[i]!.toString(16)}`);
  const inner = batch.innerVersion[i]!;
  if (inner !== 0 && inner !== 4 && inner !== 6) fail(i, `innerVersion ${inner}`);
  if ((flags & PacketFlag.HAS_INNER) !== 0 && inner === 0) fail(i, 'HAS_INNER without an inner version');
  if (
    (flags & PacketFlag.FRAGMENT) !== 0 &&
    (batch.sport[i] !== 0 || batch.dport[i] !== 0 || batch.fragOffset[i] === 0)
  ) {
    fail(i, 'non-first fragment with ports or without an offset');
  }
}

function allZero(column: Uint8Array, i: number): boolean {
  for (let k = i * ADDRESS_BYTES; k < (i + 1) * ADDRESS_BYTES; k++) if (column[k] !== 0) return false;
  return true;
}

/** Per-packet columns of a batch, in a fixed order. */
const ROW_COLUMNS = [
  'frame',
  'tsSec',
  'tsNsec',
  'capLen',
  'wireLen',
  'status',
  'pflags',
  'ipVersion',
  'src4',
  'dst4',
  'proto',
  'ttl',
  'ipId',
  'ipLen',
  'fragOffset',
  'sport',
  'dport',
  'tcpFlags',
  'tcpSeq',
  'tcpAck',
  'tcpWin',
  'tcpHdrLen',
  'icmpType',
  'icmpCode',
  'payloadLen',
  'innerVersion',
  'innerProto',
  'innerSrc4',
  'innerDst4',
  'innerSport',
  'innerDport',
] as const satisfies readonly (keyof PacketBatch)[];
const ADDRESS_COLUMNS = ['src6', 'dst6', 'innerSrc6', 'innerDst6'] as const;

/**
 * Every packet of `batch` as text: all scalar columns, the IPv6 addresses,
 * the payload offset relative to the frame, and the frame bytes. Offsets
 * into `data` are made relative so that batches of different sizes compare.
 */
export function snapshotRows(batch: PacketBatch): string[] {
  const rows: string[] = [];
  for (let i = 0; i < batch.length; i++) {
    const off = batch.frameOff[i]!;
    const cells = ROW_COLUMNS.map((name) => `${name}=${batch[name][i]}`);
    for (const name of ADDRESS_COLUMNS)
      cells.push(
        `${name}=${Buffer.from(batch[name].subarray(i * ADDRESS_BYTES, (i + 1) * ADDRESS_BYTES)).toString('hex')}`,
      );
    const pOff = batch.payloadOff[i]!;
    cells.push(`payloadAt=${batch.payloadLen[i] === 0 && pOff === 0 ? 'none' : pOff - off}`);
    cells.push(`bytes=${Buffer.from(batch.data.subarray(off, off + batch.capLen[i]!)).toString('hex')}`);
    rows.push(cells.join(' '));
  }
  return rows;
}
