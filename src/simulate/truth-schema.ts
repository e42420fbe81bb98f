/**
 * @module
 * `truth.json`: what a simulation planted, counted from the packets actually
 * written, so an accuracy harness can compare teiten's tables with it exactly.
 *
 * Layout (version 1). Dimension values are stored once in dictionaries and
 * rows refer to them by index, so the file stays compact:
 *
 * - `days[d]` local dates `YYYY-MM-DD` in `scenario.timeZone` (every day of the
 *   period, traffic or not); `services[k]` keys as teiten writes them
 *   (`445/TCP`, `8/ICMP`); `countries[c]` ISO 3166 alpha-2 codes; `sensors[s]`
 *   with the addresses to register (`teiten sensors add`), downtime, capture
 *   file and its packet count; `streams[t]` what was planted (family, its
 *   expected signature category, scanner tool, …).
 * - `traffic.rows`: `[day, sensor, stream, service, sourceService, country, packets]`,
 *   packets addressed to the sensor's own addresses. `sourceService` is -1
 *   when the source port varies from packet to packet (scanners' ephemeral
 *   ports); otherwise the exact source service (`53/UDP` of reflected DNS
 *   answers, `6667/TCP` of backscatter, `6000/TCP` of a fixed-port event).
 *   Sum over columns for any table: by service, by country, by sensor, by
 *   family or category (through `streams[t].family`), by source service.
 * - `sources.*`: exact distinct source addresses per day for the groupings
 *   reports use: overall, per sensor, per service, per sensor × service, per
 *   country, per stream and per signature category.
 * - `excluded`: `[day, sensor, packets]` written to the capture but addressed
 *   to other hosts; teiten must leave them out of every table.
 * - `hosts`: `[stream, address, country, packets, firstSec, lastSec]` for
 *   streams whose individual hosts matter (scanner tools, reflectors,
 *   backscatter victims, pools of at most 64 sources).
 * - `backscatter`: one entry per attack episode (victim, port, planned
 *   window, packets by response kind, first and last packet).
 * - `scanners`: one entry per fingerprinted source.
 *
 * Times ending in `Sec` are epoch seconds (microsecond fractions); planned
 * times are also given as ISO 8601 text in the scenario's zone.
 */

import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const TRUTH_FORMAT = 'teiten-truth';
export const TRUTH_VERSION = 1;

const count = z.number().int().nonnegative();
const index = z.number().int().nonnegative();
const sec = z.number().nonnegative();

const familySchema = z.object({
  name: z.string(),
  transport: z.enum(['tcp', 'udp', 'icmp']),
  category: z.string().nullable(),
  signature: z.string().nullable(),
  plantedClass: z.enum(['probe', 'response', 'icmp-error']),
  description: z.string(),
});

const sensorSchema = z.object({
  name: z.string(),
  label: z.string(),
  addresses: z.array(z.string()),
  addressCount: count,
  downtime: z.array(z.object({ from: z.string(), to: z.string(), fromSec: sec, toSec: sec, note: z.string() })),
  file: z.string(),
  /** Packets in the file: the sensor's own plus excluded ones. */
  packets: count,
  bytes: count,
});

const streamSchema = z.object({
  name: z.string(),
  kind: z.enum(['population', 'event', 'scanner', 'backscatter']),
  /** The scenario entry (backscatter entries give one stream per response kind). */
  entry: z.string(),
  family: z.string(),
  category: z.string().nullable(),
  tool: z.string().nullable(),
  /** Packets per day per sensor address at this scale, before shapes and jitter. */
  rate: z.number().nonnegative(),
  /** Size of the source pool (victims for backscatter). */
  sources: count,
  quoted: z.object({ service: z.string(), victims: z.array(z.string()) }).nullable(),
});

const rows = <T extends z.ZodTypeAny>(row: T) => z.array(row);

export const truthSchema = z.object({
  format: z.literal(TRUTH_FORMAT),
  version: z.literal(TRUTH_VERSION),
  scenario: z.object({
    name: z.string(),
    description: z.string(),
    /** The scenario file, or `bundled:<name>` for a bundled scenario. */
    source: z.string(),
    seed: count,
    scale: z.number().positive(),
    timeZone: z.string(),
    start: z.string(),
    end: z.string(),
    captureFormat: z.enum(['pcap', 'pcapng']),
    link: z.enum(['ethernet', 'raw']),
  }),
  days: z.array(z.string()),
  services: z.array(z.string()),
  countries: z.array(z.string()),
  categories: z.array(z.string()),
  families: z.array(familySchema),
  sensors: z.array(sensorSchema),
  streams: z.array(streamSchema),
  traffic: z.object({
    columns: z.tuple([
      z.literal('day'),
      z.literal('sensor'),
      z.literal('stream'),
      z.literal('service'),
      z.literal('sourceService'),
      z.literal('country'),
      z.literal('packets'),
    ]),
    rows: rows(z.tuple([index, index, index, index, z.number().int().min(-1), index, count])),
  }),
  sources: z.object({
    day: rows(z.tuple([index, count])),
    daySensor: rows(z.tuple([index, index, count])),
    dayService: rows(z.tuple([index, index, count])),
    daySensorService: rows(z.tuple([index, index, index, count])),
    dayCountry: rows(z.tuple([index, index, count])),
    dayStream: rows(z.tuple([index, index, count])),
    dayCategory: rows(z.tuple([index, index, count])),
  }),
  excluded: rows(z.tuple([index, index, count])),
  totals: z.object({ packets: count, excluded: count, written: count, bytes: count }),
  hosts: rows(z.tuple([index, z.string(), index, count, sec, sec])),
  backscatter: z.array(
    z.object({
      entry: z.string(),
      victim: z.string(),
      country: z.string(),
      protocol: z.enum(['tcp', 'icmp']),
      victimPort: z.number().int().nullable(),
      from: z.string(),
      to: z.string(),
      fromSec: sec,
      toSec: sec,
      packets: count,
      responses: z.record(z.string(), count),
      firstSec: sec.nullable(),
      lastSec: sec.nullable(),
    }),
  ),
  scanners: z.array(
    z.object({
      address: z.string(),
      tool: z.string(),
      stream: z.string(),
      country: z.string(),
      packets: count,
      firstSec: sec,
      lastSec: sec,
    }),
  ),
});

export type Truth = z.infer<typeof truthSchema>;
export type TruthSensor = z.infer<typeof sensorSchema>;

/** Reads and validates a truth.json file. */
export function readTruth(path: string): Truth {
  return truthSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}
