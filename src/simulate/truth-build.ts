/**
 * @module
 * Assembles `truth.json` (schema in `truth-schema.ts`) from a finished
 * `TruthRecorder` and the files written. Its long tables stay `RowTable`s
 * until `writeTruthJson` streams them out.
 */

import { formatLocalDate } from '../util/tz.js';
import type { CompiledScenario } from './compiled.js';
import { FAMILIES, SIGNATURE_CATEGORIES, type FamilyName } from './families.js';
import { formatInstant } from './scenario-time.js';
import type { SourceRows } from './distinct-sources.js';
import type { RowTable } from './row-table.js';
import type { TruthRecorder } from './truth-recorder.js';
import { TRUTH_FORMAT, TRUTH_VERSION, type Truth } from './truth-schema.js';
import { formatIpv4 } from '../util/ip-address.js';

export interface TruthFiles {
  /** The scenario file or bundled name it came from. */
  source: string;
  /** Per sensor: file name (relative to the output directory), packets and bytes written. */
  sensors: readonly { file: string; packets: number; bytes: number }[];
}

/** truth.json before serialisation: the schema's shape with its long tables as `RowTable`s. */
export type TruthDocument = Omit<Truth, 'traffic' | 'sources' | 'excluded'> & {
  traffic: { columns: Truth['traffic']['columns']; rows: RowTable };
  sources: SourceRows;
  excluded: RowTable;
};

const PROTO_NAMES: Readonly<Record<number, string>> = { 6: 'TCP', 17: 'UDP' };

export function buildTruth(recorder: TruthRecorder, files: TruthFiles): TruthDocument {
  const sc: CompiledScenario = recorder.scenario;
  const tz = sc.timeZone;
  const usedFamilies = [...new Set(sc.streams.map((s) => s.family))] as FamilyName[];
  const days = Array.from({ length: sc.lastDay - sc.firstDay + 1 }, (_, k) => formatLocalDate(sc.firstDay + k));
  const countryOf = (k: number): string => sc.countries[k]!;

  const hosts: Truth['hosts'] = [];
  const scanners: Truth['scanners'] = [];
  sc.streams.forEach((s, t) => {
    const tallies = recorder.hosts[t];
    if (!tallies) return;
    for (let k = 0; k < s.pool.size; k++) {
      const packets = tallies.packets[k]!;
      if (packets === 0) continue;
      const address = formatIpv4(s.pool.addresses[k]!);
      const country = s.pool.countryOf[k]!;
      hosts.push([t, address, country, packets, tallies.first[k]!, tallies.last[k]!]);
      if (s.tool !== null) {
        scanners.push({
          address,
          tool: s.tool,
          stream: s.name,
          country: countryOf(country),
          packets,
          firstSec: tallies.first[k]!,
          lastSec: tallies.last[k]!,
        });
      }
    }
  });

  const backscatter: Truth['backscatter'] = [];
  const byEntry = new Map<string, number[]>();
  sc.streams.forEach((s, t) => {
    if (s.episodes !== null) byEntry.set(s.entry, [...(byEntry.get(s.entry) ?? []), t]);
  });
  for (const [entry, streamIndices] of byEntry) {
    const first = sc.streams[streamIndices[0]!]!;
    first.episodes!.forEach((episode, e) => {
      const responses: Record<string, number> = {};
      let packets = 0;
      let firstSec = Infinity;
      let lastSec = -Infinity;
      for (const t of streamIndices) {
        const tally = recorder.episodes[t]!;
        responses[sc.streams[t]!.family] = tally.packets[e]!;
        packets += tally.packets[e]!;
        firstSec = Math.min(firstSec, tally.first[e]!);
        lastSec = Math.max(lastSec, tally.last[e]!);
      }
      const victimPorts = first.victimPorts;
      backscatter.push({
        entry,
        victim: formatIpv4(first.pool.addresses[episode.victim]!),
        country: countryOf(first.pool.countryOf[episode.victim]!),
        protocol: first.info.transport === 'icmp' ? 'icmp' : 'tcp',
        victimPort: victimPorts === null ? null : victimPorts[episode.victim % victimPorts.length]!,
        from: formatInstant(episode.from, tz),
        to: formatInstant(episode.to, tz),
        fromSec: episode.from,
        toSec: episode.to,
        packets,
        responses,
        firstSec: packets > 0 ? firstSec : null,
        lastSec: packets > 0 ? lastSec : null,
      });
    });
  }
  backscatter.sort((a, b) => a.fromSec - b.fromSec || a.entry.localeCompare(b.entry));

  return {
    format: TRUTH_FORMAT,
    version: TRUTH_VERSION,
    scenario: {
      name: sc.name,
      description: sc.description,
      source: files.source,
      seed: sc.seed,
      scale: sc.scale,
      timeZone: tz,
      start: days[0]!,
      end: days[days.length - 1]!,
      captureFormat: sc.format,
      link: sc.link,
    },
    days,
    services: recorder.serviceNames,
    countries: [...sc.countries],
    categories: [...SIGNATURE_CATEGORIES],
    families: usedFamilies.map((name) => {
      const f = FAMILIES[name];
      return {
        name,
        transport: f.transport,
        category: f.category,
        signature: f.signature,
        plantedClass: f.plantedClass,
        description: f.description,
      };
    }),
    sensors: sc.sensors.map((s, k) => ({
      name: s.name,
      label: s.label,
      addresses: [...s.cidrs],
      addressCount: s.addresses.length,
      downtime: s.downtime.map(([from, to], j) => ({
        from: formatInstant(from, tz),
        to: formatInstant(to, tz),
        fromSec: from,
        toSec: to,
        note: s.downtimeNotes[j] ?? '',
      })),
      file: files.sensors[k]!.file,
      packets: files.sensors[k]!.packets,
      bytes: files.sensors[k]!.bytes,
    })),
    streams: sc.streams.map((s) => ({
      name: s.name,
      kind: s.kind,
      entry: s.entry,
      family: s.family,
      category: s.info.category,
      tool: s.tool,
      rate: s.rate,
      sources: s.pool.size,
      quoted:
        s.quote === null
          ? null
          : {
              service: `${s.quote.port}/${PROTO_NAMES[s.quote.proto] ?? 'UDP'}`,
              victims: Array.from(s.quote.victims, formatIpv4),
            },
    })),
    traffic: {
      columns: ['day', 'sensor', 'stream', 'service', 'sourceService', 'country', 'packets'],
      rows: recorder.rows,
    },
    sources: recorder.sourceRows,
    excluded: recorder.excludedRows,
    totals: {
      packets: recorder.totalPackets,
      excluded: recorder.totalExcluded,
      written: files.sensors.reduce((a, f) => a + f.packets, 0),
      bytes: files.sensors.reduce((a, f) => a + f.bytes, 0),
    },
    hosts,
    backscatter,
    scanners,
  };
}
