/**
 * @module
 * Builds TCP option bytes (RFC 9293, 7323, 2018) for `TcpSpec.options` and the
 * fast writers. Build once and reuse: the result is plain bytes.
 */

import { uint16, uint32, uint8 } from './check.js';

export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; value: number }
  | { kind: 'window-scale'; shift: number }
  | { kind: 'sack-permitted' }
  | { kind: 'sack'; blocks: readonly (readonly [left: number, right: number])[] }
  | { kind: 'timestamps'; value: number; echo?: number }
  | { kind: 'raw'; bytes: Uint8Array };

export const TcpOptionKind = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WINDOW_SCALE: 3,
  SACK_PERMITTED: 4,
  SACK: 5,
  TIMESTAMPS: 8,
} as const;

const MAX_TCP_OPTIONS = 40;
const MAX_WINDOW_SHIFT = 14;
const MAX_SACK_BLOCKS = 4;

/** Option bytes for `options`, in order, unpadded (writers pad to 4 with EOL). */
export function tcpOptions(options: readonly TcpOption[]): Uint8Array {
  const out: number[] = [];
  for (const option of options) {
    switch (option.kind) {
      case 'eol':
        out.push(TcpOptionKind.EOL);
        break;
      case 'nop':
        out.push(TcpOptionKind.NOP);
        break;
      case 'mss': {
        const mss = uint16(option.value, 'mss.value');
        out.push(TcpOptionKind.MSS, 4, mss >>> 8, mss & 0xff);
        break;
      }
      case 'window-scale': {
        const shift = uint8(option.shift, 'window-scale.shift');
        if (shift > MAX_WINDOW_SHIFT)
          throw new RangeError(`Cannot build TCP options: window-scale shift ${shift} exceeds 14`);
        out.push(TcpOptionKind.WINDOW_SCALE, 3, shift);
        break;
      }
      case 'sack-permitted':
        out.push(TcpOptionKind.SACK_PERMITTED, 2);
        break;
      case 'sack': {
        const blocks = option.blocks;
        if (blocks.length < 1 || blocks.length > MAX_SACK_BLOCKS) {
          throw new RangeError(`Cannot build TCP options: sack has ${blocks.length} blocks (1..4)`);
        }
        out.push(TcpOptionKind.SACK, 2 + 8 * blocks.length);
        for (const [left, right] of blocks) pushUint32(out, uint32(left, 'sack.left'), uint32(right, 'sack.right'));
        break;
      }
      case 'timestamps':
        out.push(TcpOptionKind.TIMESTAMPS, 10);
        pushUint32(out, uint32(option.value, 'timestamps.value'), uint32(option.echo ?? 0, 'timestamps.echo'));
        break;
      case 'raw':
        out.push(...option.bytes);
        break;
      default:
        throw new TypeError(`Cannot build TCP options: unknown kind "${String((option as { kind: unknown }).kind)}"`);
    }
  }
  if (out.length > MAX_TCP_OPTIONS) throw new RangeError(`Cannot build TCP options: ${out.length} bytes (at most 40)`);
  return Uint8Array.from(out);
}

function pushUint32(out: number[], ...values: number[]): void {
  for (const value of values) out.push(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** Options of a typical Linux SYN: MSS, SACK-permitted, timestamps, NOP, window scale (20 bytes). */
export function linuxSynOptions(fields: { mss?: number; timestamp?: number; windowShift?: number } = {}): Uint8Array {
  return tcpOptions([
    { kind: 'mss', value: fields.mss ?? 1460 },
    { kind: 'sack-permitted' },
    { kind: 'timestamps', value: fields.timestamp ?? 0 },
    { kind: 'nop' },
    { kind: 'window-scale', shift: fields.windowShift ?? 7 },
  ]);
}
