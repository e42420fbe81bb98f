/**
 * @module
 * Errors of the decode stage. A malformed packet is counted, never thrown;
 * these are for input the stage cannot decode at all.
 */
import { linkTypeName } from '../capture/index.js';

/** Where an unsupported link type was met. */
export interface UnsupportedLinkTypeContext {
  /** The record's link type (LINKTYPE_* value). */
  linkType: number;
  /** 1-based ordinal the frame would have had. */
  frame: number;
  /** Byte offset of the record in the (decompressed) capture stream. */
  fileOffset: number;
}

/** A record carries a link type the decode stage has no decoder for. */
export class UnsupportedLinkTypeError extends Error {
  readonly code = 'TEITEN_DECODE_LINKTYPE';
  override readonly name = 'UnsupportedLinkTypeError';
  readonly linkType: number;
  readonly frame: number;
  readonly fileOffset: number;

  constructor(context: UnsupportedLinkTypeContext, options?: ErrorOptions) {
    super(
      `Cannot decode frame ${context.frame} at file offset ${context.fileOffset}: ` +
        `link type ${linkTypeName(context.linkType)} is not supported`,
      options,
    );
    this.linkType = context.linkType;
    this.frame = context.frame;
    this.fileOffset = context.fileOffset;
  }
}
