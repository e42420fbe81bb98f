/**
 * @module
 * `CraftBuffer`: the caller-provided bytes that packet writers fill, plus one
 * `DataView` over them. Build one per output buffer and reuse it for every
 * packet, so the write path allocates nothing per packet.
 *
 * `offset` is where the next packet starts; the caller sets it and writers
 * never move it (they return the length written). `pos` is the write position
 * inside the packet being built; layer writers advance it.
 */

const textEncoder = new TextEncoder();

export class CraftBuffer {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Where `writePacket` and the fast writers put the next packet. */
  offset: number;
  /** Write position while a packet is being built. */
  pos = 0;

  constructor(bytes: Uint8Array, offset = 0) {
    if (!(bytes instanceof Uint8Array)) {
      throw new TypeError('Cannot create a craft buffer: bytes is not a Uint8Array');
    }
    if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
      throw new RangeError(`Cannot create a craft buffer: offset ${offset} is outside 0..${bytes.length}`);
    }
    this.bytes = bytes;
    // A Node Buffer may be a slice of a shared pool: honour byteOffset/byteLength.
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  /** Throws a `RangeError` unless `length` more bytes fit at `pos`. */
  need(length: number, what: string): void {
    if (this.pos + length > this.bytes.length) {
      throw new RangeError(
        `Cannot write ${what}: needs ${length} bytes at offset ${this.pos} but the buffer holds ${this.bytes.length}`,
      );
    }
  }

  /** Copies `src` at `pos` and advances. */
  writeBytes(src: Uint8Array, what: string): void {
    this.need(src.length, what);
    this.bytes.set(src, this.pos);
    this.pos += src.length;
  }

  /** Writes `length` zero bytes at `pos` and advances. */
  writeZeros(length: number, what: string): void {
    this.need(length, what);
    this.zero(this.pos, this.pos + length);
    this.pos += length;
  }

  /** Zeroes bytes `[from, to)` (already bounds-checked by the caller). */
  zero(from: number, to: number): void {
    // A plain loop: `fill` costs ~70 ns per call, far more than the few bytes of padding here.
    const bytes = this.bytes;
    for (let i = from; i < to; i++) bytes[i] = 0;
  }

  /** Writes a payload given as bytes or UTF-8 text and advances. */
  writePayload(payload: Uint8Array | string | undefined): void {
    if (payload === undefined) return;
    if (typeof payload === 'string') {
      // Convenience path (allocates a subarray); the hot path passes bytes.
      const result = textEncoder.encodeInto(payload, this.bytes.subarray(this.pos));
      if (result.read !== payload.length) {
        throw new RangeError(`Cannot write payload: ${payload.length} characters do not fit at offset ${this.pos}`);
      }
      this.pos += result.written;
      return;
    }
    if (!(payload instanceof Uint8Array)) {
      throw new TypeError('Cannot write payload: payload is neither a Uint8Array nor a string');
    }
    this.writeBytes(payload, 'payload');
  }
}
