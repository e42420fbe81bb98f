/**
 * @module
 * Runs `tshark -T fields` once over a whole capture and parses its output into
 * one row per frame. Every field is printed with all its occurrences
 * (`-E occurrence=a`, joined by `|`): a packet quoted inside an ICMP error, or
 * a tunnelled one, shows its fields as later occurrences of the same names.
 * `frame.protocols` (the dissected layers in order, e.g.
 * `eth:ethertype:ip:icmp:ip:udp`) tells which occurrence belongs to which
 * layer instance: see `layerValue()`.
 */
import { spawnSync } from 'node:child_process';

export interface TsharkRow {
  frame: number;
  /** `frame.protocols`, split: one token per dissected layer. */
  layers: string[];
  /** Every occurrence of every requested field, in tree order. */
  values: Map<string, string[]>;
}

const SEPARATOR = '\t';
const AGGREGATOR = '|';
const MAX_OUTPUT_BYTES = 1 << 30;
const FRAME_FIELDS = ['frame.number', 'frame.protocols'];

/**
 * Preferences that make tshark decode each frame on its own, as teiten does:
 * no IP reassembly (a last fragment would otherwise carry the reassembled
 * datagram's transport header), no TCP reassembly, raw sequence numbers, and
 * an IPv4 total length of 0 taken as written (tshark otherwise presumes TCP
 * segmentation offload and uses the frame's length; teiten calls it
 * BAD_IP_LENGTH). Names are not resolved (`-n`).
 */
const PREFERENCES = [
  'ip.defragment:FALSE',
  'ip.tso_support:FALSE',
  'ipv6.tso_support:FALSE',
  'ipv6.defragment:FALSE',
  'tcp.desegment_tcp_streams:FALSE',
  'tcp.relative_sequence_numbers:FALSE',
  'tcp.analyze_sequence_numbers:FALSE',
];

/** tshark's version line, or undefined when tshark cannot be run. */
export function tsharkVersion(): string | undefined {
  const result = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return result.stdout.split('\n')[0];
}

/** Decodes `path` with tshark (one process for the whole file) and returns a row per frame. */
export function readTsharkFields(path: string, fields: readonly string[]): TsharkRow[] {
  const all = [...FRAME_FIELDS, ...fields];
  const args = [
    '-r',
    path,
    '-n',
    '-T',
    'fields',
    '-E',
    `separator=/t`,
    '-E',
    `aggregator=${AGGREGATOR}`,
    '-E',
    'occurrence=a',
    ...PREFERENCES.flatMap((p) => ['-o', p]),
    ...all.flatMap((f) => ['-e', f]),
  ];
  const result = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: MAX_OUTPUT_BYTES });
  if (result.error !== undefined || result.status !== 0) {
    const why =
      result.error?.message ??
      result.stderr
        .split('\n')
        .filter((l) => !/Running as user/.test(l))
        .join(' ');
    throw new Error(`Cannot run tshark on ${path}: exit ${result.status}, ${why}`);
  }
  const lines = result.stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, k) => parseLine(line, all, k + 1));
}

function parseLine(line: string, fields: readonly string[], expectedFrame: number): TsharkRow {
  const cells = line.split(SEPARATOR);
  if (cells.length !== fields.length) {
    throw new SyntaxError(
      `Cannot parse tshark line ${expectedFrame}: ${cells.length} cells for ${fields.length} fields`,
    );
  }
  const frame = Number(cells[0]);
  if (frame !== expectedFrame)
    throw new SyntaxError(`Cannot parse tshark line ${expectedFrame}: frame.number is "${cells[0]}"`);
  const values = new Map<string, string[]>();
  for (let f = FRAME_FIELDS.length; f < fields.length; f++) {
    const cell = cells[f]!;
    if (cell !== '') values.set(fields[f]!, cell.split(AGGREGATOR));
  }
  return { frame, layers: cells[1]!.split(':'), values };
}

/**
 * The value `field` (which belongs to layer token `layer`, e.g. `ip` for
 * `ip.src`) has in the layer instance at `layers[index]`: its occurrence
 * number is the count of earlier instances of the same layer. Undefined when
 * tshark printed no such occurrence (a header cut short).
 */
export function layerValue(row: TsharkRow, field: string, layer: string, index: number): string | undefined {
  let occurrence = 0;
  for (let j = 0; j < index; j++) if (row.layers[j] === layer) occurrence++;
  return row.values.get(field)?.[occurrence];
}

/** IPv6 extension header tokens and their next-header fields. */
export const IPV6_EXT_NEXT: Record<string, string> = {
  'ipv6.hopopts': 'ipv6.hopopts.nxt',
  'ipv6.dstopts': 'ipv6.dstopts.nxt',
  'ipv6.routing': 'ipv6.routing.nxt',
  'ipv6.fraghdr': 'ipv6.fraghdr.nxt',
};

/** A decoded IP layer in tshark's row: the token index of its header, its extension headers and what follows. */
export interface IpLayer {
  token: string;
  index: number;
  exts: number[];
  /** Index of the layer after the IP header chain (may be past the end). */
  next: number;
}

/** The IP layer (with its IPv6 extension headers) whose header is `layers[index]`, if that is one. */
export function ipLayerAt(layers: string[], index: number): IpLayer | undefined {
  const token = layers[index];
  if (token !== 'ip' && token !== 'ipv6') return undefined;
  const exts: number[] = [];
  let next = index + 1;
  while (token === 'ipv6' && Object.hasOwn(IPV6_EXT_NEXT, layers[next] ?? '')) exts.push(next++);
  return { token, index, exts, next };
}
