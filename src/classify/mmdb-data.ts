/**
 * @module
 * Encoder for the MaxMind DB data section (spec v2.0, "Output Data Section"):
 * maps, arrays, UTF-8 strings, unsigned/signed integers, doubles, floats,
 * booleans and bytes, with pointers for repeated strings.
 *
 * Two savings keep a converted database small: equal records are stored once
 * (the tree points many networks at one offset), and a string seen before
 * (typically a map key such as `autonomous_system_number`) is written as a
 * pointer to its first copy whenever the pointer is shorter.
 */

/** An integer or float whose MMDB type is chosen by the caller, e.g. uint16 metadata fields. */
export class MmdbTyped {
  constructor(
    readonly type: 'uint16' | 'uint32' | 'uint64' | 'uint128' | 'int32' | 'float' | 'double',
    readonly value: number | bigint,
  ) {}
}

/**
 * A value the data section can hold. A `number` is written as uint32 when it is
 * an integer in 0..2^32-1, int32 when a negative 32-bit integer, else double;
 * a `bigint` as uint64 (or uint128 when it needs more than 64 bits).
 */
export type MmdbValue =
  | string
  | number
  | boolean
  | bigint
  | Uint8Array
  | MmdbTyped
  | readonly MmdbValue[]
  | { readonly [key: string]: MmdbValue };

const T_POINTER = 1;
const T_STRING = 2;
const T_DOUBLE = 3;
const T_BYTES = 4;
const T_UINT16 = 5;
const T_UINT32 = 6;
const T_MAP = 7;
const T_INT32 = 8;
const T_UINT64 = 9;
const T_UINT128 = 10;
const T_ARRAY = 11;
const T_BOOLEAN = 14;
const T_FLOAT = 15;
/** Types above 7 are "extended": type 0 in the control byte, `type - 7` in the next. */
const EXTENDED_BASE = 7;
const TYPE_SHIFT = 5;

/** Size field thresholds: sizes below 29 fit the control byte; 29, 30, 31 add 1, 2, 3 bytes. */
const SIZE_INLINE_MAX = 28;
const SIZE_1 = 29;
const SIZE_2 = 285;
const SIZE_3 = 65_821;
const SIZE_MAX = SIZE_3 + 0xff_ffff;

/** Pointer value bases for pointer sizes 0..2 (size 3 stores the offset as is). */
const POINTER_BASE_1 = 2048;
const POINTER_BASE_2 = 526_336;
const POINTER_BASE_3 = 134_744_064;

const UINT_BYTES: Record<string, number> = { uint16: 2, uint32: 4, uint64: 8, uint128: 16 };
const UINT_TYPES: Record<string, number> = { uint16: T_UINT16, uint32: T_UINT32, uint64: T_UINT64, uint128: T_UINT128 };
const MAX_UINT32 = 0xffff_ffff;
const MIN_INT32 = -0x8000_0000;
const UINT64_LIMIT = 1n << 64n;
const UINT128_LIMIT = 1n << 128n;
const INITIAL_CAPACITY = 1 << 16;

const utf8 = new TextEncoder();

/** Bytes a pointer to `offset` takes. */
function pointerLength(offset: number): number {
  if (offset < POINTER_BASE_1) return 2;
  if (offset < POINTER_BASE_2) return 3;
  if (offset < POINTER_BASE_3) return 4;
  return 5;
}

export interface MmdbDataEncoderOptions {
  /** Write repeated strings as pointers to their first copy (default true). */
  pointers?: boolean;
}

export class MmdbDataEncoder {
  private buf = new Uint8Array(INITIAL_CAPACITY);
  /** Bytes in use. */
  length = 0;
  private readonly pointers: boolean;
  /** First offset of each string written inline, and the bytes that copy took. */
  private readonly stringOffsets = new Map<string, { offset: number; inline: number }>();
  private readonly byIdentity = new Map<object, number>();
  private readonly byContent = new Map<string, number>();

  constructor(options: MmdbDataEncoderOptions = {}) {
    this.pointers = options.pointers ?? true;
  }

  /**
   * Offset of `value` in the data section, writing it unless an equal value
   * was added before. Passing the same object again skips even the comparison.
   */
  add(value: MmdbValue): number {
    const isObject = typeof value === 'object';
    if (isObject) {
      const known = this.byIdentity.get(value);
      if (known !== undefined) return known;
    }
    const key = contentKey(value);
    let offset = this.byContent.get(key);
    if (offset === undefined) {
      offset = this.length;
      this.write(value);
      this.byContent.set(key, offset);
    }
    if (isObject) this.byIdentity.set(value, offset);
    return offset;
  }

  /** Write `value` at the end without deduplicating the value itself. */
  write(value: MmdbValue): void {
    if (typeof value === 'string') this.writeString(value);
    else if (typeof value === 'number') this.writeNumber(value);
    else if (typeof value === 'boolean') this.writeControl(T_BOOLEAN, value ? 1 : 0);
    else if (typeof value === 'bigint') this.writeUint(value < UINT64_LIMIT ? 'uint64' : 'uint128', value);
    else if (value instanceof Uint8Array) {
      this.writeControl(T_BYTES, value.length);
      this.writeBytes(value);
    } else if (value instanceof MmdbTyped) this.writeTyped(value);
    else if (Array.isArray(value)) {
      this.writeControl(T_ARRAY, value.length);
      for (const item of value as readonly MmdbValue[]) this.write(item);
    } else {
      const entries = Object.entries(value);
      this.writeControl(T_MAP, entries.length);
      for (const [k, v] of entries) {
        this.writeString(k);
        this.write(v);
      }
    }
  }

  /** The encoded bytes (a view, valid until the next write). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  private writeString(text: string): void {
    const known = this.pointers ? this.stringOffsets.get(text) : undefined;
    if (known !== undefined && pointerLength(known.offset) < known.inline) {
      this.writePointer(known.offset);
      return;
    }
    const encoded = utf8.encode(text);
    const start = this.length;
    this.writeControl(T_STRING, encoded.length);
    this.writeBytes(encoded);
    if (this.pointers && known === undefined)
      this.stringOffsets.set(text, { offset: start, inline: this.length - start });
  }

  private writeNumber(n: number): void {
    if (Number.isInteger(n) && n >= 0 && n <= MAX_UINT32) this.writeUint('uint32', n);
    else if (Number.isInteger(n) && n >= MIN_INT32 && n < 0) this.writeTyped(new MmdbTyped('int32', n));
    else this.writeTyped(new MmdbTyped('double', n));
  }

  private writeTyped(t: MmdbTyped): void {
    if (t.type === 'double' || t.type === 'float') {
      const size = t.type === 'double' ? 8 : 4;
      const scratch = new DataView(new ArrayBuffer(size));
      if (size === 8) scratch.setFloat64(0, Number(t.value));
      else scratch.setFloat32(0, Number(t.value));
      this.writeControl(t.type === 'double' ? T_DOUBLE : T_FLOAT, size);
      this.writeBytes(new Uint8Array(scratch.buffer));
    } else if (t.type === 'int32') {
      const n = Number(t.value);
      if (!Number.isInteger(n) || n < MIN_INT32 || n > 0x7fff_ffff)
        throw new RangeError(`Cannot encode int32 ${n}: out of range`);
      // Negative values need all four bytes for the sign; non-negative ones are minimal like uints.
      this.writeUintBytes(T_INT32, BigInt(n >>> 0), n < 0 ? 4 : minimalBytes(BigInt(n)));
    } else {
      this.writeUint(t.type, t.value);
    }
  }

  private writeUint(type: string, value: number | bigint): void {
    const big = BigInt(value);
    const maxBytes = UINT_BYTES[type]!;
    if (big < 0n || big >= 1n << BigInt(maxBytes * 8))
      throw new RangeError(`Cannot encode ${type} ${value}: out of range`);
    this.writeUintBytes(UINT_TYPES[type]!, big, minimalBytes(big));
  }

  private writeUintBytes(type: number, value: bigint, size: number): void {
    this.writeControl(type, size);
    this.reserve(size);
    for (let k = size - 1; k >= 0; k--) this.buf[this.length + size - 1 - k] = Number((value >> BigInt(8 * k)) & 0xffn);
    this.length += size;
  }

  private writePointer(offset: number): void {
    this.reserve(5);
    const b = this.buf;
    let at = this.length;
    const ptr = T_POINTER << TYPE_SHIFT;
    if (offset < POINTER_BASE_1) {
      b[at++] = ptr | (offset >>> 8);
      b[at++] = offset & 0xff;
    } else if (offset < POINTER_BASE_2) {
      const v = offset - POINTER_BASE_1;
      b[at++] = ptr | (1 << 3) | (v >>> 16);
      b[at++] = (v >>> 8) & 0xff;
      b[at++] = v & 0xff;
    } else if (offset < POINTER_BASE_3) {
      const v = offset - POINTER_BASE_2;
      b[at++] = ptr | (2 << 3) | (v >>> 24);
      b[at++] = (v >>> 16) & 0xff;
      b[at++] = (v >>> 8) & 0xff;
      b[at++] = v & 0xff;
    } else {
      b[at++] = ptr | (3 << 3);
      b[at++] = offset >>> 24;
      b[at++] = (offset >>> 16) & 0xff;
      b[at++] = (offset >>> 8) & 0xff;
      b[at++] = offset & 0xff;
    }
    this.length = at;
  }

  private writeControl(type: number, size: number): void {
    if (size > SIZE_MAX) throw new RangeError(`Cannot encode a value of size ${size}: above ${SIZE_MAX}`);
    this.reserve(5);
    const b = this.buf;
    let at = this.length;
    const extended = type > EXTENDED_BASE;
    const sizeBits = size <= SIZE_INLINE_MAX ? size : size < SIZE_2 ? SIZE_1 : size < SIZE_3 ? 30 : 31;
    b[at++] = ((extended ? 0 : type) << TYPE_SHIFT) | sizeBits;
    if (extended) b[at++] = type - EXTENDED_BASE;
    if (sizeBits === SIZE_1) b[at++] = size - SIZE_1;
    else if (sizeBits === 30) {
      const v = size - SIZE_2;
      b[at++] = v >>> 8;
      b[at++] = v & 0xff;
    } else if (sizeBits === 31) {
      const v = size - SIZE_3;
      b[at++] = v >>> 16;
      b[at++] = (v >>> 8) & 0xff;
      b[at++] = v & 0xff;
    }
    this.length = at;
  }

  private writeBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + extra) cap *= 2;
    const grown = new Uint8Array(cap);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }
}

function minimalBytes(value: bigint): number {
  let size = 0;
  for (let v = value; v > 0n; v >>= 8n) size++;
  return size;
}

/** A string equal for equal values and different otherwise, independent of pointers. */
function contentKey(value: MmdbValue): string {
  if (typeof value === 'string') return `s${JSON.stringify(value)}`;
  if (typeof value === 'number') return `n${Object.is(value, -0) ? '-0' : String(value)}`;
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'bigint') {
    if (value < 0n || value >= UINT128_LIMIT)
      throw new RangeError(`Cannot encode bigint ${value}: out of uint128 range`);
    return `B${value}`;
  }
  if (value instanceof Uint8Array)
    return `x${Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex')}`;
  if (value instanceof MmdbTyped) return `t${value.type}:${String(value.value)}`;
  if (Array.isArray(value)) return `[${(value as readonly MmdbValue[]).map(contentKey).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${contentKey(v)}`)
    .join(',')}}`;
}
