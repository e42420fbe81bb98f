/**
 * @module
 * The compiled scenario: everything the day planner needs in resolved form
 * (epoch seconds, uint32 addresses, service ports, drawn source pools),
 * checked once by `compileScenario`. Type catalogue only.
 */

import type { FamilyInfo, FamilyName, OsProfile, PortRange, ScannerTool } from './families.js';
import type { EventShape } from './scenario-schema.js';
import type { Interval, Keyframe } from './shapes.js';
import type { SourcePool } from './source-pool.js';

export interface CompiledSensor {
  readonly index: number;
  readonly name: string;
  readonly label: string;
  /** Every monitored address, ascending. */
  readonly addresses: Uint32Array;
  /** The blocks as written (canonical CIDR text) for the store's sensor definition. */
  readonly cidrs: readonly string[];
  /** Downtime, sorted and merged. */
  readonly downtime: readonly Interval[];
  readonly downtimeNotes: readonly string[];
}

export type StreamKind = 'population' | 'event' | 'scanner' | 'backscatter';

/** A backscatter episode: one victim attacked over `[from, to)`. */
export interface Episode {
  readonly from: number;
  readonly to: number;
  /** Index into the stream's pool. */
  readonly victim: number;
}

export interface CompiledStream {
  readonly index: number;
  readonly name: string;
  readonly kind: StreamKind;
  /** Name of the scenario entry it came from (backscatter entries give one stream per response kind). */
  readonly entry: string;
  /** Field path of the entry, for messages. */
  readonly path: string;
  readonly family: FamilyName;
  readonly info: FamilyInfo;
  readonly tool: ScannerTool | null;
  readonly os: OsProfile;
  /** Destination ports (ICMP: the type) with cumulative weights; empty when `randomPorts` is set. */
  readonly ports: Uint16Array;
  readonly portWeights: Float64Array;
  readonly together: boolean;
  readonly randomPorts: PortRange | null;
  /** With `randomPorts`: each sensor address gets this many fixed ports (0 = not per address). */
  readonly perAddressPorts: number;
  /** With `randomPorts`: the stream uses this many ports drawn once (0 = a new port per visit). */
  readonly portPool: number;
  /** Source port range (from = to for a fixed port); null = per sender (OS ephemeral, or per source). */
  readonly sourcePort: PortRange | null;
  /** Source services the truth names; index 0 is `''` (varies). Backscatter: one per victim port. */
  readonly sourceServices: readonly string[];
  /** Packets per day per sensor address, scale applied. */
  readonly rate: number;
  readonly intervals: readonly Interval[];
  /** Backscatter: the episode of each interval. */
  readonly episodes: readonly Episode[] | null;
  readonly shape: EventShape;
  readonly keyframes: readonly Keyframe[];
  readonly diurnal: Float64Array;
  readonly weekly: Float64Array;
  readonly jitter: number;
  readonly sensorSpread: number;
  /** Whether each sensor (by index) receives the stream. */
  readonly sensorMask: readonly boolean[];
  readonly burstMean: number;
  readonly burstMax: number;
  readonly skew: number;
  readonly pool: SourcePool;
  /** time-exceeded: quoted protocol (6/17), port and destinations. */
  readonly quote: { readonly proto: number; readonly port: number; readonly victims: Uint32Array } | null;
  /** Backscatter: victim i answers from `victimPorts[i % n]`. */
  readonly victimPorts: Uint16Array | null;
  readonly qname: string;
  readonly payload: Uint8Array | null;
  /** List the stream's hosts in truth.json (scanners, victims, reflectors, small pools). */
  readonly listHosts: boolean;
}

export interface CompiledScenario {
  readonly name: string;
  readonly description: string;
  readonly timeZone: string;
  readonly firstDay: number;
  readonly lastDay: number;
  readonly startSec: number;
  readonly endSec: number;
  readonly seed: number;
  readonly scale: number;
  readonly format: 'pcap' | 'pcapng';
  readonly link: 'ethernet' | 'raw';
  readonly sensors: readonly CompiledSensor[];
  readonly streams: readonly CompiledStream[];
  /** Country codes in first-use order; pools store indices into it. */
  readonly countries: readonly string[];
  readonly otherHosts: { readonly share: number; readonly addresses: Uint32Array } | null;
}
