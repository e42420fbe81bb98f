/**
 * @module
 * Public surface of the decode stage: `BatchBuilder` turns `RawRecord`s into
 * decoded `PacketBatch`es; the formatters turn column values into text.
 */
export { BatchBuilder, type BatchBuilderOptions } from './batch-builder.js';
export { decodeCapture, type DecodeCaptureOptions, type DecodeCaptureResult } from './decode-capture.js';
export type { DecodeStats } from './decode-stats.js';
export { UnsupportedLinkTypeError, type UnsupportedLinkTypeContext } from './errors.js';
export { formatTcpFlags } from './tcp-flags.js';
export {
  PacketBatch,
  DecodeStatus,
  DECODE_STATUS_NAMES,
  PacketFlag,
  TcpFlag,
  IpProto,
  DEFAULT_BATCH_PACKETS,
  DEFAULT_BATCH_BYTES,
} from './batch.js';
export { newColumn, type ColumnSupplier, type BatchColumn, type BatchColumnType } from './batch.js';
