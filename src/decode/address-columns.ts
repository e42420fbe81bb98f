/**
 * @module
 * Copies an IPv6 address from the frame into one of the stage's 32-bit
 * address views (`stageAddressWords` in `stage.ts`): 4 loads and 4 stores
 * instead of 16 of each.
 */

const WORDS_PER_ADDRESS = 4;

/** Whether this machine stores a Uint32Array element least significant byte first. */
const HOST_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Copies the 16-byte address at `view[off]` into slot `slot` of a 32-bit address view. */
export function copyAddress(view: DataView, off: number, to: Uint32Array, slot: number): void {
  const base = slot * WORDS_PER_ADDRESS;
  // Reading in host byte order writes the bytes back in their wire order.
  to[base] = view.getUint32(off, HOST_LITTLE_ENDIAN);
  to[base + 1] = view.getUint32(off + 4, HOST_LITTLE_ENDIAN);
  to[base + 2] = view.getUint32(off + 8, HOST_LITTLE_ENDIAN);
  to[base + 3] = view.getUint32(off + 12, HOST_LITTLE_ENDIAN);
}
