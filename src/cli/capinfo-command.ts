/**
 * @module
 * `teiten capinfo FILE... [--json]`: per capture, packets, bytes, time range,
 * link types and malformed packets by reason (like Wireshark's capinfos).
 * A file that fails to read is reported with what was read before the fault,
 * and the exit code says so; the other files are still summarised.
 */
import { linkTypeName, type CaptureFormat } from '../capture/index.js';
import {
  DECODE_STATUS_NAMES,
  DecodeStatus,
  decodeCapture,
  type DecodeStats,
  type PacketBatch,
} from '../decode/index.js';
import { command, flag } from './options.js';
import { UsageError, formatCliError } from './errors.js';
import { writeOut } from './output.js';

interface CapInfo {
  file: string;
  format: string | null;
  compressed: boolean | null;
  linkTypes: string[];
  packets: number;
  capturedBytes: number;
  wireBytes: number;
  firstTime: string | null;
  lastTime: string | null;
  durationSec: number | null;
  ipv4: number;
  ipv6: number;
  nonIp: number;
  fragments: number;
  malformed: Record<string, number>;
  error: string | null;
}

/** Earliest and latest timestamps seen, as (sec, nsec) pairs compared exactly. */
class TimeRange {
  minSec = Infinity;
  minNsec = 0;
  maxSec = -Infinity;
  maxNsec = 0;

  add(batch: PacketBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const sec = batch.tsSec[i]!;
      const nsec = batch.tsNsec[i]!;
      if (sec < this.minSec || (sec === this.minSec && nsec < this.minNsec)) [this.minSec, this.minNsec] = [sec, nsec];
      if (sec > this.maxSec || (sec === this.maxSec && nsec > this.maxNsec)) [this.maxSec, this.maxNsec] = [sec, nsec];
    }
  }

  iso(which: 'min' | 'max'): string | null {
    const sec = which === 'min' ? this.minSec : this.maxSec;
    const nsec = which === 'min' ? this.minNsec : this.maxNsec;
    if (!Number.isFinite(sec)) return null;
    return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, `.${String(nsec).padStart(9, '0')}Z`);
  }

  duration(): number | null {
    if (!Number.isFinite(this.minSec)) return null;
    return this.maxSec - this.minSec + (this.maxNsec - this.minNsec) / 1e9;
  }
}

async function inspect(file: string): Promise<CapInfo> {
  const range = new TimeRange();
  let result: { capture: { format: CaptureFormat | undefined; compressed: boolean }; decode: DecodeStats } | undefined;
  let error: string | null = null;
  let packets = 0;
  try {
    result = await decodeCapture(file, {
      onBatch: (batch) => {
        range.add(batch);
        packets += batch.length;
      },
      // A capture cut short is summarised as far as it was read.
      onFailure: (partial) => {
        result = { capture: partial, decode: partial.decode };
      },
    });
  } catch (caught: unknown) {
    error = formatCliError(caught).replace(/^teiten: /, '');
  }
  const decode = result?.decode;
  const malformed: Record<string, number> = {};
  decode?.byStatus.forEach((count, code) => {
    if (count > 0 && code !== DecodeStatus.OK && code !== DecodeStatus.NON_IP) {
      malformed[DECODE_STATUS_NAMES[code] ?? String(code)] = count;
    }
  });
  return {
    file,
    format: result?.capture.format ?? null,
    compressed: result?.capture.compressed ?? null,
    linkTypes: [...(decode?.byLinkType.keys() ?? [])].map(linkTypeName),
    packets,
    capturedBytes: decode?.capturedBytes ?? 0,
    wireBytes: decode?.wireBytes ?? 0,
    firstTime: range.iso('min'),
    lastTime: range.iso('max'),
    durationSec: range.duration(),
    ipv4: decode?.ipv4 ?? 0,
    ipv6: decode?.ipv6 ?? 0,
    nonIp: decode?.byStatus[DecodeStatus.NON_IP] ?? 0,
    fragments: decode?.fragments ?? 0,
    malformed,
    error,
  };
}

function text(info: CapInfo): string {
  const rows: Array<[string, string | number | null]> = [
    ['File name', info.file],
    ['File format', info.format === null ? null : `${info.format}${info.compressed ? ' (gzip)' : ''}`],
    ['Link types', info.linkTypes.join(', ') || null],
    ['Packets', info.packets],
    ['Captured bytes', info.capturedBytes],
    ['Wire bytes', info.wireBytes],
    ['First packet', info.firstTime],
    ['Last packet', info.lastTime],
    ['Duration (s)', info.durationSec === null ? null : info.durationSec.toFixed(9)],
    ['IPv4 / IPv6', `${info.ipv4} / ${info.ipv6}`],
    ['Non-IP', info.nonIp],
    ['Later fragments', info.fragments],
    [
      'Malformed',
      Object.entries(info.malformed)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || '0',
    ],
  ];
  if (info.error !== null) rows.push(['Error', info.error]);
  return rows.map(([name, value]) => `${`${name}:`.padEnd(17)}${value ?? 'n/a'}`).join('\n');
}

const OPTIONS = { json: flag() };

export const runCapinfo = command(OPTIONS, async ({ json }, positionals) => {
  if (positionals.length === 0) throw new UsageError('expected at least one capture file');
  const infos: CapInfo[] = [];
  for (const file of positionals) infos.push(await inspect(file));
  if (json) await writeOut(`${JSON.stringify(infos, null, 2)}\n`);
  else await writeOut(`${infos.map(text).join('\n\n')}\n`);
  return infos.some((info) => info.error !== null) ? 1 : 0;
});
