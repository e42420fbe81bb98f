/**
 * @module
 * `teiten decode FILE|- [--format ndjson|csv] [--limit N]`: one record per packet.
 */
import { decodeCapture } from '../decode/index.js';
import { OutputClosed, writeOut } from './output.js';
import { PACKET_WRITERS, type PacketFormat } from './packet-writers.js';
import { command, oneOf, parsed } from './options.js';
import { exactlyOne, wholeNumber } from './parse-values.js';

const OPTIONS = {
  format: oneOf(Object.keys(PACKET_WRITERS) as PacketFormat[]),
  limit: parsed(wholeNumber(1)).optional(),
};

export const runDecode = command(OPTIONS, async ({ format, limit }, positionals) => {
  const input = exactlyOne(positionals, 'capture file (or - for stdin)');
  const writer = PACKET_WRITERS[format];
  const header = writer.header();
  try {
    if (header !== undefined) await writeOut(`${header}\n`);
    await decodeCapture(input, {
      ...(limit === undefined ? {} : { limit }),
      // A pipe may be a live capture: show each chunk's packets at once.
      live: input === '-',
      onBatch: async (batch) => {
        const lines: string[] = [];
        for (let i = 0; i < batch.length; i++) lines.push(writer.line(batch, i));
        await writeOut(`${lines.join('\n')}\n`);
      },
    });
  } catch (error: unknown) {
    if (error instanceof OutputClosed) return 0;
    throw error;
  }
  return 0;
});
