/**
 * @module
 * Writing command output to stdout with backpressure, ending quietly when the
 * reader goes away (`teiten decode big.pcap | head`).
 */
import type { Writable } from 'node:stream';

/** Thrown to stop work when stdout's reader has closed the pipe. */
export class OutputClosed extends Error {
  readonly code = 'TEITEN_OUTPUT_CLOSED';
}

export async function writeOut(text: string, out: Writable = process.stdout): Promise<void> {
  if (text.length === 0) return;
  if (out.destroyed || out.writableEnded) throw new OutputClosed('Output closed');
  if (out.write(text)) return;
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onClose = (): void => {
      cleanup();
      reject(new OutputClosed('Output closed'));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject((error as { code?: string }).code === 'EPIPE' ? new OutputClosed('Output closed') : error);
    };
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}
